// A pseudo-terminal without native node modules: a small Python 3 program (run with `python3 -c`)
// forks a pty, execs argv on its slave side and copies bytes between the master and its own
// stdin/stdout. Resize requests arrive on fd 3 as lines "<cols> <rows>"; TIOCSWINSZ on the master
// makes the kernel send SIGWINCH to the foreground process group. Ctrl-C is just a byte written to the
// master, turned into SIGINT by the line discipline. The child gets PDEATHSIG=SIGKILL so killing the
// bridge kills it (and bubblewrap, with --die-with-parent and its own pid namespace, takes the rest).
// Exit status: the child's code, or 128+signal.

export const PYTHON = "/usr/bin/python3";

export const PTY_BRIDGE_SOURCE = String.raw`
import os, sys, pty, select, signal, struct, fcntl, termios, errno, ctypes
argv = sys.argv[1:]
cols = int(os.environ.pop("DAYTONA_PTY_COLS", "80"))
rows = int(os.environ.pop("DAYTONA_PTY_ROWS", "24"))
def winsz(fd, c, r):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", r, c, 0, 0))
pid, master = pty.fork()
if pid == 0:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
    except Exception:
        pass
    try:
        # The size is the parent's to set (once, right after fork): a late child setting it here
        # would undo a resize the parent already applied.
        os.execvp(argv[0], argv)
    except Exception as e:
        os.write(2, ("pty bridge: cannot run %s: %s\n" % (argv[0], e)).encode())
    os._exit(127)
winsz(master, cols, rows)
def on_term(signum, frame):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
signal.signal(signal.SIGTERM, on_term)
signal.signal(signal.SIGHUP, on_term)
inputs = [0, master]
try:
    os.fstat(3)
    inputs.append(3)
except OSError:
    pass
ctl = b""
while True:
    try:
        ready, _, _ = select.select(inputs, [], [])
    except InterruptedError:
        continue
    if master in ready:
        try:
            data = os.read(master, 65536)
        except OSError as e:
            data = b""
        if not data:
            break
        view = memoryview(data)
        while view:
            view = view[os.write(1, view):]
    # Resizes first: a resize answered before input was sent must apply before that input is read.
    if 3 in ready:
        data = os.read(3, 4096)
        if not data:
            inputs.remove(3)
        ctl += data
        while b"\n" in ctl:
            line, ctl = ctl.split(b"\n", 1)
            try:
                c, r = (int(x) for x in line.split())
                winsz(master, c, r)
            except Exception:
                pass
    if 0 in ready:
        data = os.read(0, 65536)
        if not data:
            # The server went away (its end of our stdin closed): take the child with us.
            on_term(None, None)
            inputs.remove(0)
        else:
            view = memoryview(data)
            while view:
                try:
                    view = view[os.write(master, view):]
                except BlockingIOError:
                    select.select([], [master], [])
_, status = os.waitpid(pid, 0)
if os.WIFSIGNALED(status):
    sys.exit(128 + os.WTERMSIG(status))
sys.exit(os.WEXITSTATUS(status))
`;
