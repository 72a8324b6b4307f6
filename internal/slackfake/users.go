package slackfake

import "strings"

// member is a workspace member added with AddUser.
type member struct {
	realName, displayName string
}

// AddUser makes users.info know user id, with a real name and a display name (either may be "",
// as in Slack). Only added users are known: users.info answers user_not_found for any other id,
// even one that clicks or types in this fake (U1…) and BotUserID, so a bot must survive not
// knowing a name.
func (s *Server) AddUser(id, realName, displayName string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[id] = member{realName: realName, displayName: displayName}
}

// userInfo answers users.info. Its name is the lowercased id, as in interaction payloads; the
// normalized names are the names as given (the fake folds no accents).
func (s *Server) userInfo(args map[string]string) reply {
	id := args["user"]
	u, known := s.users[id]
	if !known {
		return fail("user_not_found")
	}
	return ok(map[string]any{"user": map[string]any{
		"id": id, "team_id": TeamID, "name": strings.ToLower(id), "real_name": u.realName,
		"deleted": false, "is_bot": false,
		"profile": map[string]any{"real_name": u.realName, "real_name_normalized": u.realName,
			"display_name": u.displayName, "display_name_normalized": u.displayName, "team": TeamID},
	}}, "")
}
