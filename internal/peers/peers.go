// Package peers is the plain Go a user would write instead of asyncgen,
// which the benchmarks run beside asyncgen's code in the same run.
package peers

// ChanPingPong makes n round trips of a value between the calling
// goroutine and another one, over two unbuffered channels: each is two
// goroutine handoffs.
func ChanPingPong(n int) {
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v
		}
	}()
	for i := range n {
		ping <- i
		<-pong
	}
	close(ping)
}
