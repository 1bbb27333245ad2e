//go:build asyncgen

package rt_test

import "testing"

// The reference view's own tests run under seeds too.
func init() {
	for name, test := range map[string]func(t *testing.T){
		"TestRefAwaitInDeferArgumentsIsNotShielded": TestRefAwaitInDeferArgumentsIsNotShielded,
		"TestRefContext": TestRefContext,
		"TestRefDeferredAfterRecoveredAwaitPanic": TestRefDeferredAfterRecoveredAwaitPanic,
		"TestRefDeferredAtAwaitingReturn":         TestRefDeferredAtAwaitingReturn,
		"TestRefDeferredAwaitsAreShielded":        TestRefDeferredAwaitsAreShielded,
		"TestRefInlineAndSpawnOrder":              TestRefInlineAndSpawnOrder,
		"TestRefPanicAcrossAwait":                 TestRefPanicAcrossAwait,
		"TestRefTryIsNotAPanic":                   TestRefTryIsNotAPanic,
	} {
		seededTests[name] = test
	}
}
