package slackfake

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// File is a file the bot uploaded the way slack-go's UploadFileContext does:
// files.getUploadURLExternal, a POST of the content to the URL it answered, then
// files.completeUploadExternal.
type File struct {
	ID, Name, Title, AltText, SnippetType string
	Content                               []byte
	Channels                              []string // where it was shared; none for a private file
	ThreadTS                              string   // the thread it was shared in, or ""
	Comment                               string   // the initial_comment of its share message
}

// upload is a file between files.getUploadURLExternal and files.completeUploadExternal.
type upload struct {
	file     File
	length   int // the bytes announced
	uploaded bool
}

func (f File) clone() File {
	f.Content, f.Channels = slices.Clone(f.Content), slices.Clone(f.Channels)
	return f
}

// Permalink is the file's link as files.info answers it.
func (f File) Permalink() string {
	return fmt.Sprintf("%sfiles/%s/%s/%s", WorkspaceURL, BotUserID, f.ID, f.Name)
}

// Files returns the completed uploads, in completion order.
func (s *Server) Files() []File {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]File, 0, len(s.files))
	for _, f := range s.files {
		out = append(out, f.clone())
	}
	return out
}

// File returns the completed upload with id id, and whether there is one.
func (s *Server) File(id string) (File, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f := s.fileLocked(id); f != nil {
		return f.clone(), true
	}
	return File{}, false
}

// WaitFile returns the first completed upload (before or later) for which match returns true (nil
// matches any), or ctx.Err() if ctx ends first.
func (s *Server) WaitFile(ctx context.Context, match func(File) bool) (File, error) {
	return waitRecord(ctx, s, "a file", func() []*File { return s.files }, (*File).clone, match)
}

func (s *Server) fileLocked(id string) *File {
	i := slices.IndexFunc(s.files, func(f *File) bool { return f.ID == id })
	if i < 0 {
		return nil
	}
	return s.files[i]
}

// maxAltTxt is how long an alt_txt may be (alt_txt_too_large, files.getUploadURLExternal reference).
const maxAltTxt = 1000

// getUploadURL answers files.getUploadURLExternal with an upload URL on this fake. A length of 0
// draws missing_argument, as the reference says.
func (s *Server) getUploadURL(args map[string]string) reply {
	length, err := strconv.Atoi(args["length"])
	switch {
	case args["filename"] == "":
		return missing("filename")
	case args["length"] == "":
		return missing("length")
	case err != nil || length < 0:
		return refusal("invalid_arguments", pointed("/length", "must be an integer"))
	case length == 0:
		return fail("missing_argument")
	case utf8.RuneCountInString(args["alt_txt"]) > maxAltTxt:
		return fail("alt_txt_too_large")
	}
	id := fmt.Sprintf("F%08d", s.nextIDLocked())
	s.uploads[id] = &upload{
		file:   File{ID: id, Name: args["filename"], AltText: args["alt_txt"], SnippetType: args["snippet_type"]},
		length: length,
	}
	return ok(map[string]any{"upload_url": s.srv.URL + "/upload/v1/" + id, "file_id": id}, "file_id="+id)
}

// handleUpload serves the upload URLs, recorded as "upload_url" calls. It takes the content as the
// "file" part of a multipart form (slack-go's UploadToURL) or as the raw body (python-slack-sdk).
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	content, err := uploadContent(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	id := strings.TrimPrefix(r.URL.Path, "/upload/v1/")
	args := map[string]string{"file_id": id, "bytes": strconv.Itoa(len(content))}
	s.answer(w, r, "upload_url", "", args, func(map[string]string) reply { return s.uploadLocked(id, content) })
}

func uploadContent(r *http.Request) ([]byte, error) {
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "multipart/form-data" {
		return io.ReadAll(r.Body)
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		return nil, fmt.Errorf("read the file part: %w", err)
	}
	defer f.Close()
	return io.ReadAll(f)
}

// uploadLocked stores content for upload id: 200 "OK - <bytes>" as Slack answers. A URL the fake
// did not hand out (or whose upload was completed) is 404; content of another length than
// announced is 400 (Slack's answer to that is undocumented).
func (s *Server) uploadLocked(id string, content []byte) reply {
	u := s.uploads[id]
	switch {
	case u == nil:
		return reply{status: http.StatusNotFound, plain: "Not Found"}
	case len(content) != u.length:
		return reply{status: http.StatusBadRequest,
			plain: fmt.Sprintf("length mismatch: %d bytes announced, %d sent", u.length, len(content))}
	}
	u.file.Content, u.uploaded = content, true
	return reply{status: http.StatusOK, plain: fmt.Sprintf("OK - %d", len(content))}
}

// completeUpload answers files.completeUploadExternal. It shares the files, when given channels,
// as Slack does: one message a channel (in thread_ts when set) carrying the files and the
// initial_comment, or the blocks when there is no comment.
func (s *Server) completeUpload(args map[string]string) reply {
	var summaries []struct{ ID, Title string }
	switch err := json.Unmarshal([]byte(args["files"]), &summaries); {
	case args["files"] == "":
		return missing("files")
	case err != nil:
		return refusal("invalid_arguments", pointed("/files", "must provide an array"))
	case len(summaries) == 0:
		return refusal("invalid_arguments", pointed("/files", "no fewer than 1 items allowed"))
	}
	for _, f := range summaries {
		if u := s.uploads[f.ID]; u == nil || !u.uploaded {
			return fail("file_not_found")
		}
	}
	channels := shareChannels(args)
	for _, ch := range channels {
		if e := s.postErrLocked(ch); e != "" {
			return fail(e)
		}
	}
	var blocks json.RawMessage
	if args["initial_comment"] == "" {
		var refused *reply
		if blocks, refused = messageBlocks(args); refused != nil {
			return *refused
		}
	}
	var ids []string
	var answer []map[string]any
	for _, f := range summaries {
		file := s.uploads[f.ID].file
		delete(s.uploads, f.ID)
		file.Title, file.Channels, file.ThreadTS, file.Comment = f.Title, channels, args["thread_ts"], args["initial_comment"]
		if file.Title == "" {
			file.Title = file.Name
		}
		s.files = append(s.files, &file)
		ids = append(ids, file.ID)
		answer = append(answer, map[string]any{"id": file.ID, "title": file.Title})
	}
	for _, ch := range channels {
		s.messages = append(s.messages, &Message{Channel: ch, TS: s.nextTSLocked(), ThreadTS: args["thread_ts"],
			Text: args["initial_comment"], Blocks: blocks, Files: ids})
	}
	return ok(map[string]any{"files": answer}, "files="+strings.Join(ids, ","))
}

// shareChannels are the channels a completed upload is shared in: channel_id and the
// comma-separated channels, without repeats.
func shareChannels(args map[string]string) []string {
	var out []string
	for _, ch := range append([]string{args["channel_id"]}, strings.Split(args["channels"], ",")...) {
		if ch = strings.TrimSpace(ch); ch != "" && !slices.Contains(out, ch) {
			out = append(out, ch)
		}
	}
	return out
}

// fileInfo answers files.info for an uploaded file or a canvas (a canvas is a file), with its
// permalink.
func (s *Server) fileInfo(args map[string]string) reply {
	id := args["file"]
	var file map[string]any
	if c := s.canvasLocked(id); c != nil {
		file = canvasFileJSON(c)
	} else if f := s.fileLocked(id); f != nil {
		file = uploadedFileJSON(f)
	} else {
		return fail("file_not_found")
	}
	return ok(map[string]any{"file": file, "comments": []any{}, "response_metadata": map[string]any{"next_cursor": ""}}, "")
}

// canvasFileJSON renders a canvas as files.info does (filetype quip, as in recorded answers).
func canvasFileJSON(c *Canvas) map[string]any {
	title := c.Title
	if title == "" {
		title = "Untitled"
	}
	var channels []string
	if c.Channel != "" {
		channels = []string{c.Channel}
	}
	out := fileJSON(c.ID, strings.ReplaceAll(title, " ", "_"), title, len(c.Markdown), c.Permalink(), channels)
	out["mimetype"], out["filetype"], out["pretty_type"], out["mode"] = "application/vnd.slack-docs", "quip", "Canvas", "quip"
	return out
}

func uploadedFileJSON(f *File) map[string]any {
	out := fileJSON(f.ID, f.Name, f.Title, len(f.Content), f.Permalink(), f.Channels)
	out["mimetype"], out["filetype"], out["mode"] = http.DetectContentType(f.Content), strings.TrimPrefix(path.Ext(f.Name), "."), "hosted"
	if f.AltText != "" {
		out["alt_txt"] = f.AltText
	}
	return out
}

// fileJSON renders the fields files.info answers for every file; shared conversations are listed
// by kind (channels, groups, ims).
func fileJSON(id, name, title string, size int, permalink string, shared []string) map[string]any {
	kinds := map[byte][]string{'C': {}, 'G': {}, 'D': {}}
	for _, ch := range shared {
		kinds[ch[0]] = append(kinds[ch[0]], ch)
	}
	return map[string]any{
		"id": id, "name": name, "title": title, "user": BotUserID, "user_team": TeamID, "editable": true,
		"size": size, "is_external": false, "is_public": len(kinds['C']) > 0, "permalink": permalink,
		"channels": kinds['C'], "groups": kinds['G'], "ims": kinds['D'], "comments_count": 0,
	}
}
