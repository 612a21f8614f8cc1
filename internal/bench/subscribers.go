package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// subscribers are live-feed clients: each follows deliveryAttempts of the
// bench's workspace over graphql-transport-ws and measures how long after an
// attempt ended (startedAt + durationMs, just before it is recorded) the
// subscriber received it.
type subscribers struct {
	conns    []*websocket.Conn
	received atomic.Int64
	dropped  atomic.Int64
	mu       sync.Mutex
	latency  []time.Duration
	wg       sync.WaitGroup
}

const attemptsSubscription = `subscription($ws: ID!) { deliveryAttempts(workspaceId: $ws) { startedAt durationMs } }`

// subscribe opens n subscriptions and waits until each is acknowledged.
func subscribe(ctx context.Context, opts Options, workspaceID string, n int) (*subscribers, error) {
	s := &subscribers{}
	url := "ws" + strings.TrimPrefix(strings.TrimSuffix(opts.URL, "/"), "http") + "/graphql"
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 10 * time.Second}
	for i := range n {
		conn, _, err := d.DialContext(ctx, url, http.Header{})
		if err != nil {
			s.close()
			return nil, fmt.Errorf("subscriber %d: connecting: %w", i, err)
		}
		s.conns = append(s.conns, conn)
		init := map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + opts.Token}}
		sub := map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": attemptsSubscription, "variables": map[string]any{"ws": workspaceID}}}
		if err := conn.WriteJSON(init); err != nil {
			s.close()
			return nil, err
		}
		_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		var ack struct{ Type string }
		if err := conn.ReadJSON(&ack); err != nil || ack.Type != "connection_ack" {
			s.close()
			return nil, fmt.Errorf("subscriber %d: no connection_ack (%v)", i, err)
		}
		_ = conn.SetReadDeadline(time.Time{})
		if err := conn.WriteJSON(sub); err != nil {
			s.close()
			return nil, err
		}
		s.wg.Add(1)
		go s.read(conn)
	}
	return s, nil
}

func (s *subscribers) read(conn *websocket.Conn) {
	defer s.wg.Done()
	var local []time.Duration
	defer func() {
		s.mu.Lock()
		s.latency = append(s.latency, local...)
		s.mu.Unlock()
	}()
	for {
		var m struct {
			Type    string `json:"type"`
			Payload struct {
				Data struct {
					DeliveryAttempts struct {
						StartedAt  time.Time `json:"startedAt"`
						DurationMs int       `json:"durationMs"`
					} `json:"deliveryAttempts"`
				} `json:"data"`
				Errors []json.RawMessage `json:"errors"`
			} `json:"payload"`
		}
		if err := conn.ReadJSON(&m); err != nil {
			return
		}
		switch m.Type {
		case "next":
			if len(m.Payload.Errors) > 0 {
				s.dropped.Add(1)
				continue
			}
			a := m.Payload.Data.DeliveryAttempts
			ended := a.StartedAt.Add(time.Duration(a.DurationMs) * time.Millisecond)
			local = append(local, time.Since(ended))
			s.received.Add(1)
		case "complete", "error":
			return
		}
	}
}

func (s *subscribers) close() {
	for _, c := range s.conns {
		_ = c.Close()
	}
	s.wg.Wait()
}

func (s *subscribers) sample() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.latency...)
}
