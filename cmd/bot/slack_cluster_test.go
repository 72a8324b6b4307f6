package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stackpick/stackpick/internal/redistest"
)

// Two replicas on a real three-master Redis Cluster, through REDIS_URL's Cluster form: the
// conversation of TestTwoReplicasShareConversations (compare-and-set saves racing across
// replicas) and a redelivery handled by the other replica (the claim holds across them), with
// the bot's keys spread over the masters.
func TestTwoReplicasShareConversationsOnCluster(t *testing.T) {
	cluster := redistest.StartCluster(t)
	e := startE2E(t, map[string]string{"REDIS_URL": cluster.URL()})
	second := e.startBot(e.env, 2)
	shareAConversation(t, e, second, "UCLUSTER")

	// The fake hands consecutive envelopes to the two sockets in turn: the delivery goes to one
	// replica, the redelivery to the other.
	const user = "UCLUSTER2"
	dm := e.fake.DMChannel(user)
	thread, _ := e.startConversation(user)
	e.next()
	first, _, err := e.fake.DirectMessage(e.ctx, user, "an MVP", thread)
	e.send(first, err)
	e.send(e.fake.Redeliver(e.ctx, first))
	e.waitPost(dm, e.question(2))
	e.say(user, thread, "status") // handled after both deliveries: the user's events run in order
	e.waitPost(dm, fmt.Sprintf("Progress: 1 of %d answered", len(e.cat.Questions)))
	if n := e.countPosts(dm, e.question(2)); n != 1 {
		t.Errorf("a delivery and its redelivery to the other replica produced %d replies", n)
	}
	if !strings.Contains(e.logs.String()+second.logs.String(), "ignored a redelivered event") {
		t.Error("the redelivery was not recognised")
	}
	if s := e.session(user); fmt.Sprint(s.Answers["project"]) != "[mvp]" {
		t.Errorf("after the redelivery: answers %v", s.Answers)
	}

	keys := cluster.Keys(t)
	t.Logf("keys on the three masters: %v", keys)
	holding := 0
	for _, n := range keys {
		if n > 0 {
			holding++
		}
	}
	if holding < 2 {
		t.Errorf("the bot's keys are on %d of 3 masters (%v): the test did not cross slots", holding, keys)
	}
	if err := second.stop(); err != nil {
		t.Fatal(err)
	}
}
