package redisstore

import (
	"crypto/rand"
	"encoding/hex"
)

// writeToken names one write call. go-redis resends a command whose reply was lost (a dropped
// connection, a restarting server); the scripts use the token to recognise their own earlier
// write and answer as if it had just happened, instead of reporting a conflict or a duplicate.
func writeToken() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
