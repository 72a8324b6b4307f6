package team

import (
	"context"
	"errors"
	"fmt"
)

// Store keeps decisions, keyed by workspace and decision id, and which decisions each user takes
// part in. Implementations must be safe for concurrent use.
type Store interface {
	// Load returns the decision with its Version set, or ErrNotFound.
	Load(ctx context.Context, workspace, id string) (Decision, error)
	// Save stores d if the stored version still equals d.Version (0: nothing stored) and returns
	// the new version; otherwise it stores nothing and returns ErrConflict.
	Save(ctx context.Context, workspace string, d Decision) (int64, error)
	// Remember notes that user takes part in decision id; Mine lists those decisions, latest
	// first, at most max (some may have expired since).
	Remember(ctx context.Context, workspace, user, id string) error
	Mine(ctx context.Context, workspace, user string, max int) ([]string, error)
}

// maxAttempts bounds compare-and-set retries when changes to one decision race.
const maxAttempts = 16

// Update applies change to the stored decision id with compare-and-set, loading it again and
// reapplying change when another change got there first, so concurrent changes are never lost.
// change reports whether it changed anything (nothing is saved otherwise) or returns an error
// (returned as is, nothing saved). Update returns the decision as saved (or as loaded, when
// nothing changed) and whether it changed.
func Update(ctx context.Context, st Store, workspace, id string, change func(*Decision) (bool, error)) (Decision, bool, error) {
	for range maxAttempts {
		d, err := st.Load(ctx, workspace, id)
		if err != nil {
			return Decision{}, false, err
		}
		next := d.Clone()
		changed, err := change(&next)
		if err != nil || !changed {
			return d, false, err
		}
		v, err := st.Save(ctx, workspace, next)
		if errors.Is(err, ErrConflict) {
			continue
		}
		if err != nil {
			return Decision{}, false, err
		}
		next.Version = v
		return next, true, nil
	}
	return Decision{}, false, fmt.Errorf("update team decision %s after %d attempts: %w", id, maxAttempts, ErrConflict)
}
