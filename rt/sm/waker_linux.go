package sm

import (
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// epollWaker sleeps in epoll_wait on an epoll set holding an eventfd,
// which wake writes to. (The loop's I/O will share the epoll set.)
// Timeouts have nanosecond precision with epoll_pwait2 (Linux 5.11),
// else they are rounded up to whole milliseconds (timers never fire
// early).
type epollWaker struct {
	epfd, evfd int
	events     [4]unix.EpollEvent
}

// noPwait2 is set once epoll_pwait2 was found missing.
var noPwait2 atomic.Bool

func newWaker() waker {
	if w, err := newEpollWaker(); err == nil {
		return w
	}
	return newChanWaker() // out of descriptors, or a sandbox without epoll
}

func newEpollWaker() (*epollWaker, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, err
	}
	evfd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		unix.Close(epfd)
		return nil, err
	}
	ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(evfd)}
	if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, evfd, &ev); err != nil {
		unix.Close(evfd)
		unix.Close(epfd)
		return nil, err
	}
	return &epollWaker{epfd: epfd, evfd: evfd}, nil
}

func (w *epollWaker) sleep(d time.Duration) {
	n, err := w.wait(d)
	if err != nil {
		return // EINTR: the loop looks again
	}
	for _, ev := range w.events[:n] {
		if ev.Fd == int32(w.evfd) {
			var buf [8]byte
			unix.Read(w.evfd, buf[:]) // reset the counter
		}
	}
}

func (w *epollWaker) wait(d time.Duration) (int, error) {
	switch {
	case d < 0:
		return unix.EpollWait(w.epfd, w.events[:], -1)
	case !noPwait2.Load():
		ts := unix.NsecToTimespec(int64(d))
		r, _, errno := unix.Syscall6(unix.SYS_EPOLL_PWAIT2, uintptr(w.epfd),
			uintptr(unsafe.Pointer(&w.events[0])), uintptr(len(w.events)), uintptr(unsafe.Pointer(&ts)), 0, 0)
		if errno == 0 {
			return int(r), nil
		}
		if errno != unix.ENOSYS {
			return 0, errno
		}
		noPwait2.Store(true)
	}
	ms := (d + time.Millisecond - 1) / time.Millisecond
	return unix.EpollWait(w.epfd, w.events[:], int(ms))
}

func (w *epollWaker) wake() {
	one := [8]byte{1}
	unix.Write(w.evfd, one[:]) // EAGAIN: the counter is already non-zero
}

func (w *epollWaker) close() {
	unix.Close(w.evfd)
	unix.Close(w.epfd)
}
