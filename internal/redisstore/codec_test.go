package redisstore

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/dialog"
)

// An undo's answers are stored as the change back from the session's, and read back whole.
func TestAnUndoIsStoredAsItsChange(t *testing.T) {
	now := catalog.Answers{"project": {"saas"}, "scale": {"massive"}, "languages": {"python", "go"}, "team": {"small"}}
	for _, tc := range []struct {
		name       string
		then, want catalog.Answers // want: what is stored
	}{
		{"the same answers", catalog.Answers{"project": {"saas"}, "scale": {"massive"}, "languages": {"python", "go"}, "team": {"small"}}, catalog.Answers{}},
		{"an answer changed", catalog.Answers{"project": {"saas"}, "scale": {"growing"}, "languages": {"python", "go"}, "team": {"small"}}, catalog.Answers{"scale": {"growing"}}},
		{"an option fewer", catalog.Answers{"project": {"saas"}, "scale": {"massive"}, "languages": {"python"}, "team": {"small"}}, catalog.Answers{"languages": {"python"}}},
		{"unanswered then", catalog.Answers{"project": {"saas"}, "languages": {"python", "go"}}, catalog.Answers{"scale": {}, "team": {}}},
		{"answered only then", catalog.Answers{"project": {"saas"}, "scale": {"massive"}, "languages": {"python", "go"}, "team": {"small"}, "hosting": {"serverless"}}, catalog.Answers{"hosting": {"serverless"}}},
		{"nothing answered then", catalog.Answers{}, catalog.Answers{"project": {}, "scale": {}, "languages": {}, "team": {}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := changeTo(now, tc.then); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("stored %v, want %v", got, tc.want)
			}
			if got := now.With(changeTo(now, tc.then)); !reflect.DeepEqual(got, tc.then) {
				t.Errorf("read back %v, want %v", got, tc.then)
			}
		})
	}
}

// A record holds the undo under "bu" only: an older replica, which reads "b" as an undo whole,
// finds none rather than misreading a change as the whole.
func TestTheUndoIsWrittenUnderItsOwnKey(t *testing.T) {
	s := dialog.Session{ID: "s", Answers: catalog.Answers{"project": {"saas"}, "scale": {"massive"}},
		Undo: &dialog.Snapshot{Answers: catalog.Answers{"project": {"saas"}}, Current: "scale"}}
	data, err := json.Marshal(encode(s))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(data); strings.Contains(got, `"b":`) || !strings.Contains(got, `"bu":{"a":{"scale":[]},"c":"scale"}`) {
		t.Errorf("stored %s, want the undo as its change under bu and nothing under b", got)
	}
}

// A record written before undos were stored as their change holds the undo whole, under "b".
func TestAWholeUndoLoads(t *testing.T) {
	old := `{"v":1,"id":"old","n":3,"a":{"project":["mvp"],"scale":["large"]},"c":"team","h":["project","scale"],"b":{"a":{"project":["mvp"]},"c":"scale","h":["project"]},"t0":1,"t1":2}`
	s, err := New(nil, 0, "").decode("3", old)
	if err != nil {
		t.Fatal(err)
	}
	want := &dialog.Snapshot{Answers: catalog.Answers{"project": {"mvp"}}, Current: "scale", History: []string{"project"}}
	if !reflect.DeepEqual(s.Undo, want) {
		t.Errorf("undo = %+v, want %+v", s.Undo, want)
	}
}

// turnRecord is a session as BenchmarkTurn in cmd/bot leaves it: ten answers, six asked, and the
// undo of the last typed change.
const turnRecord = `{"v":1,"id":"dn9yzpv1sks9","n":10,"a":{"architecture":["modular"],"compliance":["regulated"],"deadline":["weeks"],"hosting":["containers"],"languages":["python","typescript"],"performance":["important"],"project":["saas"],"scale":["massive"],"team":["small"],"workload":["crud","io"]},"c":"batteries","h":["project","scale","performance","workload","architecture","hosting"],"bu":{"a":{"scale":["growing"]},"c":"batteries","h":["project","scale","performance","workload","architecture","hosting"]},"t0":1796186550460556601,"t1":1796186550464980537}`

// BenchmarkDecode is what reading a session costs once Redis has answered.
func BenchmarkDecode(b *testing.B) {
	s := New(nil, 0, "")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.decode("3", turnRecord); err != nil {
			b.Fatal(err)
		}
	}
}
