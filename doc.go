// Package asyncgen brings Python-style async/await to Go without goroutines.
//
// A user writes async bodies as function literals passed to rt.Async, using
// rt.Await and rt.Try inside them; the asyncgen command (cmd/asyncgen)
// rewrites each such body into a resumable state machine that runs on the
// single-threaded event loop of package rt. The same sources also build, with
// the asyncgen build tag, against a goroutine-based reference runtime, which
// serves as the differential oracle.
//
// This root package holds no code. Its test, conformance_test.go, runs every
// program of testdata/run in both views and checks that each prints the
// expected trace; see TestConformance.
package asyncgen
