package memstore_test

import (
	"testing"
	"time"

	"github.com/stackpick/stackpick/internal/memstore"
	"github.com/stackpick/stackpick/internal/team"
	"github.com/stackpick/stackpick/internal/team/storetest"
)

func TestTeamsContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) team.Store { return memstore.NewTeams(time.Hour, time.Now) })
}
