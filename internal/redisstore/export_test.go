package redisstore

// The scripts, for tests that resend a write the way go-redis does after a lost reply.
var (
	CASScript   = casScript
	ClaimScript = claimScript
)
