package jobs_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/hookd/hookd/internal/apitest"
	"github.com/hookd/hookd/internal/tracing"
)

// TestTracePropagatesToReceiver: with tracing on, a publish gets a span, and
// the attempt's traceparent, sent to the receiver, continues the publish's
// trace. (Not parallel: it installs the process's tracer provider.)
func TestTracePropagatesToReceiver(t *testing.T) {
	exporter := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exporter))
	tracing.Install(tp)
	t.Cleanup(func() {
		_ = tp.Shutdown(t.Context())
		tracing.Install(trace.NewNoopTracerProvider())
	})

	b := setup(t, apitest.Options{})
	b.eventType(t, "t")
	rc := apitest.NewReceiver(t, nil)
	b.webhook(t, map[string]any{"url": rc.URL, "events": []string{"t"}})
	evt := b.publish(t, map[string]any{"type": "t", "payload": 1})
	r := rc.Next(t, 10*time.Second)
	b.waitStatus(t, evt.deliveryIDs()[0], "SUCCEEDED", 10*time.Second)

	var publish, attempt sdktrace.ReadOnlySpan
	require.Eventually(t, func() bool {
		for _, s := range exporter.GetSpans().Snapshots() {
			switch s.Name() {
			case "hookd.publish":
				publish = s
			case "hookd.attempt":
				attempt = s
			}
		}
		return publish != nil && attempt != nil
	}, 10*time.Second, 10*time.Millisecond)

	traceparent := r.Header.Get("traceparent")
	require.Regexp(t, `^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$`, traceparent)
	require.Equal(t, publish.SpanContext().TraceID().String(), traceparent[3:35], "the receiver continues the publish's trace")
	require.Equal(t, attempt.SpanContext().SpanID().String(), traceparent[36:52], "the attempt span is the receiver's parent")
	require.Equal(t, publish.SpanContext().SpanID(), attempt.Parent().SpanID())
}
