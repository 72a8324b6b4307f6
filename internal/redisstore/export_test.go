package redisstore

// For tests that resend a write the way go-redis does after a lost reply.
var (
	CASScript      = casScript
	AdmitWithToken = (*Store).admit
)
