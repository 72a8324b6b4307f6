package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"

	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/slackbot/admit"
)

// admitScript answers an admission (see package admit) atomically, in one round trip. KEYS are
// the session, the claim and the rate-limit counter, all in the session's slot. ARGV are the
// claim token (empty: no claim), the claim TTL in ms, the limit (0: no count), the window TTL in
// ms, the turn token (empty: no mark), "1" to force the mark, and how long a mark counts as live
// in ms. It returns {0} for a redelivery, {1, count} past the limit, else {1, count, ver, data,
// found} where found is 0 (no other mark), 1 (another live turn holds it: not marked) or 2 (a
// dead or forced mark was taken over). The claim stores its token, so a resend of a call whose
// reply was lost finds its own claim and mark and goes ahead as if it had just happened. The mark
// is "token:ms" by Redis's own clock, so replicas' clocks do not matter.
var admitScript = redis.NewScript(`
if ARGV[1] ~= '' then
  local held = redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2], 'GET')
  if held and held ~= ARGV[1] then return {0} end
end
local n = 0
if tonumber(ARGV[3]) > 0 then
  n = redis.call('INCR', KEYS[3])
  if n == 1 then redis.call('PEXPIRE', KEYS[3], ARGV[4]) end
  if n > tonumber(ARGV[3]) then return {1, n} end
end
local s = redis.call('HMGET', KEYS[1], 'ver', 'data', 'turn')
local found = 0
if ARGV[5] ~= '' then
  local t = redis.call('TIME')
  local now = t[1] * 1000 + math.floor(t[2] / 1000)
  if s[3] then
    local tok, at = string.match(s[3], '^(.*):(%d+)$')
    if tok ~= ARGV[5] then
      if ARGV[6] ~= '1' and now - tonumber(at) < tonumber(ARGV[7]) then
        return {1, n, s[1], s[2], 1}
      end
      found = 2
    end
  end
  local fresh = redis.call('EXISTS', KEYS[1]) == 0
  redis.call('HSET', KEYS[1], 'turn', ARGV[5] .. ':' .. now)
  if fresh then redis.call('PEXPIRE', KEYS[1], ARGV[7]) end
end
return {1, n, s[1], s[2], found}
`)

// releaseScript drops the turn mark of the session KEYS[1] if turn ARGV[1] holds it.
var releaseScript = redis.NewScript(dropMark("ARGV[1]") + "\nreturn 0")

// dropMark is the Lua that drops the turn mark of the session KEYS[1] if the turn whose token is
// the script argument turn holds it; the mark is "token:ms" (see admitScript). The release and
// the compare-and-set save both run it.
func dropMark(turn string) string {
	return fmt.Sprintf(`local held = redis.call('HGET', KEYS[1], 'turn')
if held and string.sub(held, 1, #%[1]s + 1) == %[1]s .. ':' then redis.call('HDEL', KEYS[1], 'turn') end`, turn)
}

// Admit answers an admission (see package admit) in one round trip: one script claims the
// delivery, counts a claimed turn, reads the session and marks the turn on it. The claim and the
// counter are hash-tagged into the session's slot, so on Redis Cluster the script runs on one
// node.
func (s *Store) Admit(ctx context.Context, req admit.Request) (admit.Result, error) {
	return s.admit(ctx, writeToken(), req)
}

// admit is Admit with the claim's token given (tests resend a call the way go-redis does).
func (s *Store) admit(ctx context.Context, token string, req admit.Request) (admit.Result, error) {
	key := s.Key(req.Key)
	claim := ""
	if req.Claim != "" {
		claim = token
	}
	force := "0"
	if req.Force {
		force = "1"
	}
	// The hash tag {<session key>} puts the claim and the counter in the session's slot. It holds
	// because the session key has no braces of its own: the prefix is the bot's constant and
	// slackbot admits only Slack ids ([A-Z0-9]).
	keys := []string{key, "{" + key + "}:seen:" + req.Claim, "{" + key + "}:rate:" + strconv.FormatInt(req.Window, 10)}
	reply, err := admitScript.Run(ctx, s.rdb, keys, claim, req.ClaimTTL.Milliseconds(), max(req.Limit, 0),
		req.WindowTTL.Milliseconds(), req.Turn, force, req.Live.Milliseconds()).Slice()
	if err != nil {
		return admit.Result{}, fmt.Errorf("redis admit %s/%s: %w", req.Key.Team, req.Key.User, err)
	}
	res := admit.Result{First: reply[0] == int64(1)}
	if len(reply) > 1 {
		res.Count = reply[1].(int64)
	}
	if len(reply) < 5 {
		return res, nil
	}
	res.Busy, res.Interrupted = reply[4] == int64(1), reply[4] == int64(2)
	ver, _ := reply[2].(string)
	data, _ := reply[3].(string)
	res.Session, err = s.decode(ver, data)
	switch {
	case errors.Is(err, dialog.ErrNoSession):
	case err != nil:
		return admit.Result{}, fmt.Errorf("redis admit %s/%s: %w", req.Key.Team, req.Key.User, err)
	default:
		res.Exists = true
	}
	if !res.Busy {
		res.Session.Turn = req.Turn
	}
	return res, nil
}

// Release drops the mark of turn on k's session, if it still holds it.
func (s *Store) Release(ctx context.Context, k dialog.Key, turn string) error {
	if err := releaseScript.Run(ctx, s.rdb, []string{s.Key(k)}, turn).Err(); err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("redis release turn of %s/%s: %w", k.Team, k.User, err)
	}
	return nil
}
