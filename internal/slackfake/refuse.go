package slackfake

// BotScopes is what a missing_scope refusal reports as the token's scopes ("provided"): those of
// an installation made before the app asked for canvases:write, files:write, bookmarks:write,
// bookmarks:read and users:read, which lacks them until the workspace reinstalls the app.
const BotScopes = "commands,chat:write,im:write,im:history,im:read,channels:read,groups:read"

// canvasMethods and uploadMethods are what RefuseCanvases and RefuseUploads refuse.
var (
	canvasMethods = []string{"canvases.create", "conversations.canvases.create", "canvases.edit", "canvases.access.set"}
	uploadMethods = []string{"files.getUploadURLExternal", "files.completeUploadExternal"}
)

// neededScopes is the scope each method needs, which a missing_scope refusal reports as "needed".
var neededScopes = map[string]string{
	"canvases.create": "canvases:write", "conversations.canvases.create": "canvases:write",
	"canvases.edit": "canvases:write", "canvases.access.set": "canvases:write",
	"files.getUploadURLExternal": "files:write", "files.completeUploadExternal": "files:write",
	"files.info": "files:read", "users.info": "users:read",
	"bookmarks.add": "bookmarks:write", "bookmarks.list": "bookmarks:read",
}

// Refuse makes every later call of the given Web API methods fail with {"ok":false,"error":slackErr}
// (after the token check), until Refuse is called for them with slackErr "". A missing_scope
// refusal carries "needed" and "provided" as Slack's does.
func (s *Server) Refuse(slackErr string, methods ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range methods {
		if slackErr == "" {
			delete(s.refusals, m)
		} else {
			s.refusals[m] = slackErr
		}
	}
}

// RefuseCanvases makes the workspace refuse canvases.create, conversations.canvases.create,
// canvases.edit and canvases.access.set with slackErr, e.g. canvas_disabled_user_team,
// free_teams_cannot_create_standalone_canvases, not_allowed_token_type or missing_scope; ""
// allows them again.
func (s *Server) RefuseCanvases(slackErr string) { s.Refuse(slackErr, canvasMethods...) }

// RefuseUploads makes the workspace refuse files.getUploadURLExternal and
// files.completeUploadExternal with slackErr, e.g. file_uploads_disabled or missing_scope; ""
// allows them again.
func (s *Server) RefuseUploads(slackErr string) { s.Refuse(slackErr, uploadMethods...) }

// refusalOf is the answer of a method refused with slackErr.
func refusalOf(method, slackErr string) reply {
	rep := fail(slackErr)
	if slackErr == "missing_scope" {
		rep.body["needed"], rep.body["provided"] = neededScopes[method], BotScopes
		rep.note = "needed=" + neededScopes[method]
	}
	return rep
}
