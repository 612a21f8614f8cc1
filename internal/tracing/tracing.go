// Package tracing is hookd's OpenTelemetry tracing: off unless the standard
// OTEL_* environment variables ask for it, then a span per publish and per
// delivery attempt, with the W3C traceparent carried from the publisher
// through the queue to the receiver.
//
// Tracing is enabled when OTEL_TRACES_EXPORTER is "otlp", or when
// OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set
// (and OTEL_SDK_DISABLED is not "true"). The exporter is OTLP over HTTP and
// reads the rest of its settings (headers, protocol details, timeouts) from
// the standard OTEL_EXPORTER_OTLP_* variables; the service name comes from
// OTEL_SERVICE_NAME (default "hookd") and OTEL_RESOURCE_ATTRIBUTES.
package tracing

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName names hookd's tracer.
const ScopeName = "github.com/hookd/hookd"

// Tracer returns hookd's tracer (a no-op until Setup enables tracing).
func Tracer() trace.Tracer { return otel.Tracer(ScopeName) }

// Enabled reports whether the environment (lookup, e.g. os.LookupEnv) asks
// for tracing.
func Enabled(lookup func(string) (string, bool)) bool {
	get := func(k string) string { v, _ := lookup(k); return strings.TrimSpace(v) }
	if strings.EqualFold(get("OTEL_SDK_DISABLED"), "true") {
		return false
	}
	return strings.EqualFold(get("OTEL_TRACES_EXPORTER"), "otlp") ||
		get("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != ""
}

// Setup enables tracing when the environment asks for it, installing the
// global tracer provider and the W3C trace-context propagator. It returns a
// function that flushes and stops tracing (a no-op when disabled).
func Setup(ctx context.Context, lookup func(string) (string, bool), version string) (func(context.Context) error, error) {
	if !Enabled(lookup) {
		return func(context.Context) error { return nil }, nil
	}
	exporter, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("creating the OTLP trace exporter: %w", err)
	}
	res, err := resource.Merge(resource.Default(), resource.NewWithAttributes(semconv.SchemaURL,
		semconv.ServiceName(serviceName(lookup)), semconv.ServiceVersion(version)))
	if err != nil {
		return nil, fmt.Errorf("describing the service: %w", err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter), sdktrace.WithResource(res))
	Install(tp)
	return tp.Shutdown, nil
}

// Install makes tp the global tracer provider and W3C trace context the
// propagator (tests install an in-memory provider this way).
func Install(tp trace.TracerProvider) {
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
}

func serviceName(lookup func(string) (string, bool)) string {
	if v, ok := lookup("OTEL_SERVICE_NAME"); ok && strings.TrimSpace(v) != "" {
		return strings.TrimSpace(v)
	}
	return "hookd"
}

// Extract continues the trace of an incoming request that carries a
// traceparent header.
func Extract(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := otel.GetTextMapPropagator().Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// Inject writes ctx's trace context into h (traceparent, tracestate); it
// writes nothing when tracing is off.
func Inject(ctx context.Context, h http.Header) {
	otel.GetTextMapPropagator().Inject(ctx, propagation.HeaderCarrier(h))
}

// TraceParent returns ctx's trace context as a traceparent value, or "".
func TraceParent(ctx context.Context) string {
	carrier := propagation.MapCarrier{}
	otel.GetTextMapPropagator().Inject(ctx, carrier)
	return carrier["traceparent"]
}

// FromTraceParent returns ctx continuing the trace of a traceparent value.
func FromTraceParent(ctx context.Context, traceparent string) context.Context {
	if traceparent == "" {
		return ctx
	}
	return otel.GetTextMapPropagator().Extract(ctx, propagation.MapCarrier{"traceparent": traceparent})
}
