package rt_test

import (
	"flag"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/asyncgen/asyncgen/rt"
)

var seedsFlag = flag.Int("seeds", 1000, "how many seeds TestSeeds runs each concurrent test under")

// forSeeds runs test under seeds 1..n, each with a virtual clock, through
// run (see runOpts). It stops at the first seed that fails; the subtest's
// name replays it alone: go test ./rt -run 'TestSeeds/TestGroup/seed=5$'.
func forSeeds(t *testing.T, n int, test func(*testing.T)) {
	t.Helper()
	old := runOpts
	defer func() { runOpts = old }()
	for seed := uint64(1); seed <= uint64(n); seed++ {
		runOpts = rt.Options{Clock: rt.VirtualClock, Seed: seed}
		if !t.Run(fmt.Sprintf("seed=%d", seed), test) {
			t.Fatalf("fails under seed %d", seed)
		}
	}
}

// seededTests are the tests of concurrent behaviour that must pass under
// every schedule. Their traces are compared in any order under a seed (see
// tracer.check); what they check beyond the trace holds in every schedule.
// Left out: tests that do not go through run (rt.Run or RunWith called
// directly: context, concurrency), and those that measure allocations or
// deep chains.
var seededTests = map[string]func(*testing.T){
	"TestAwaitRunningMachinePanics":         TestAwaitRunningMachinePanics,
	"TestCancelAfterWakeKeepsValue":         TestCancelAfterWakeKeepsValue,
	"TestCancelBeforeFirstRun":              TestCancelBeforeFirstRun,
	"TestCancelLevelTriggered":              TestCancelLevelTriggered,
	"TestDeadlockPanics":                    TestDeadlockPanics,
	"TestDeferredAwaitWhilePanicking":       TestDeferredAwaitWhilePanicking,
	"TestDeferredPanicReplaces":             TestDeferredPanicReplaces,
	"TestDefersRunOnceLIFO":                 TestDefersRunOnceLIFO,
	"TestFIFOAndTicks":                      TestFIFOAndTicks,
	"TestGatherAwaiterCancelled":            TestGatherAwaiterCancelled,
	"TestGatherFirstErrorCancelsRest":       TestGatherFirstErrorCancelsRest,
	"TestGatherOrderAndConcurrency":         TestGatherOrderAndConcurrency,
	"TestGroup":                             TestGroup,
	"TestGroupPanicReraised":                TestGroupPanicReraised,
	"TestJoinNotCancelledWithAwaiter":       TestJoinNotCancelledWithAwaiter,
	"TestLazyAndInline":                     TestLazyAndInline,
	"TestLongChainDoesNotStarve":            TestLongChainDoesNotStarve,
	"TestNestedRunPanics":                   TestNestedRunPanics,
	"TestPanicDoesNotKillLoop":              TestPanicDoesNotKillLoop,
	"TestPanicReraisedInAwaiter":            TestPanicReraisedInAwaiter,
	"TestRace":                              TestRace,
	"TestRecoverAfterResume":                TestRecoverAfterResume,
	"TestRunCancelsLeftovers":               TestRunCancelsLeftovers,
	"TestShield":                            TestShield,
	"TestTimerOrder":                        TestTimerOrder,
	"TestUnretrievedFailureReported":        TestUnretrievedFailureReported,
	"TestVirtualClockJumps":                 TestVirtualClockJumps,
	"TestVirtualClockStandsStillWhileReady": TestVirtualClockStandsStillWhileReady,
	"TestVirtualClockTimeout":               TestVirtualClockTimeout,
	"TestWithTimeout":                       TestWithTimeout,
}

// TestSeeds runs every test of seededTests under -seeds seeds (1000 by
// default, 50 with -short).
func TestSeeds(t *testing.T) {
	n := *seedsFlag
	if testing.Short() {
		n = min(n, 50)
	}
	for _, name := range slices.Sorted(maps.Keys(seededTests)) {
		t.Run(name, func(t *testing.T) { forSeeds(t, n, seededTests[name]) })
	}
}
