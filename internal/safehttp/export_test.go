package safehttp

import (
	"context"
	"net"
	"net/http"
)

// ControlBlocked exposes the dialer's Control hook to tests.
var ControlBlocked = controlBlocked

// NewClientWithDial is NewClient with the final TCP dial replaced, so tests
// can prove that a blocked destination is never dialled.
func NewClientWithDial(cfg Config, dial func(ctx context.Context, network, address string) (net.Conn, error)) *http.Client {
	return newClient(cfg, dial)
}
