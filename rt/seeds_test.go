package rt_test

import (
	"flag"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/asyncgen/asyncgen/rt"
)

var (
	seedsFlag     = flag.Int("seeds", 1000, "how many seeds TestSeeds runs each concurrent test under")
	slowSeedsFlag = flag.Int("slowseeds", 20, "how many seeds TestSeeds runs each test of slowSeeded under")
)

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
// directly: context, concurrency), those that measure allocations or deep
// chains, and these scenarios of the synchronisation primitives, written
// for the FIFO schedule: what they check (which waiter gets which value,
// the length of a queue at some instant, who is cancelled before it
// waits) depends on the order of the tasks: TestCond,
// TestCondSignalToCancelledGoesToNext, TestQueueBoundedProducerConsumer,
// TestQueueClose, TestQueueCloseWakesGetters,
// TestQueueGetterCancelledAfterHandoff, TestQueueNoBarging,
// TestQueuePutterCancelledAfterHandoff, TestQueueWakeOrder, TestSemaphore.
var seededTests = map[string]func(*testing.T){
	"TestBlocking":                          TestBlocking,
	"TestBlockingAwaitedTwice":              TestBlockingAwaitedTwice,
	"TestBlockingCancelled":                 TestBlockingCancelled,
	"TestBlockingHoldsVirtualClock":         TestBlockingHoldsVirtualClock,
	"TestBlockingPanic":                     TestBlockingPanic,
	"TestBlockingPoolBound":                 TestBlockingPoolBound,
	"TestDeadlockDumpsTasks":                TestDeadlockDumpsTasks,
	"TestDumpTasks":                         TestDumpTasks,
	"TestEvent":                             TestEvent,
	"TestMutexCancelledWaiters":             TestMutexCancelledWaiters,
	"TestMutexFIFO":                         TestMutexFIFO,
	"TestMutexNoBarging":                    TestMutexNoBarging,
	"TestMutexShieldedWaiterKeepsLock":      TestMutexShieldedWaiterKeepsLock,
	"TestPromiseCancelled":                  TestPromiseCancelled,
	"TestPromiseFromGoroutine":              TestPromiseFromGoroutine,
	"TestPromiseReject":                     TestPromiseReject,
	"TestPromiseStress":                     TestPromiseStress,
	"TestPromiseVirtualTimeout":             TestPromiseVirtualTimeout,
	"TestPromiseWaitersInOrder":             TestPromiseWaitersInOrder,
	"TestQueueGetAgainAfterCancel":          TestQueueGetAgainAfterCancel,
	"TestQueueOpAwaitedTwice":               TestQueueOpAwaitedTwice,
	"TestQueueOrderMany":                    TestQueueOrderMany,
	"TestSemaphoreHandoffCancelled":         TestSemaphoreHandoffCancelled,
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

// slowSeeded are the tests of seededTests that wait for goroutines outside
// the loop (Blocking, Promise): tens of milliseconds of wall time each.
var slowSeeded = map[string]bool{
	"TestBlocking":                  true,
	"TestBlockingCancelled":         true,
	"TestBlockingHoldsVirtualClock": true,
	"TestBlockingPoolBound":         true,
	"TestPromiseCancelled":          true,
	"TestPromiseFromGoroutine":      true,
	"TestPromiseStress":             true,
}

// TestSeeds runs every test of seededTests under -seeds seeds (1000 by
// default, 50 with -short), those of slowSeeded under -slowseeds (20).
func TestSeeds(t *testing.T) {
	for _, name := range slices.Sorted(maps.Keys(seededTests)) {
		n := *seedsFlag
		if slowSeeded[name] {
			n = *slowSeedsFlag
		}
		if testing.Short() {
			n = min(n, 50)
		}
		t.Run(name, func(t *testing.T) { forSeeds(t, n, seededTests[name]) })
	}
}
