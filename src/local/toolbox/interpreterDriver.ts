// The Python program behind one code-interpreter context (run inside the sandbox as `python3 -c`).
//
// Requests arrive on fd 3 (a pipe only the server writes) as JSON lines: {"run": code, "envs": {...}}
// or {"interrupt": true}. Everything goes back on a private copy of fd 1 as JSON lines: {"type":
// "stdout"|"stderr", "text"}, {"type": "error", name, value, traceback}, {"type": "done",
// "interrupted": bool}. Fds 1 and 2 themselves are pipes read by two threads, so output of child
// processes is captured too; after each run a sentinel written to both marks that every byte before it
// has been forwarded, and only then is "done" sent. Globals persist between runs (one namespace per
// context). An interrupt raises KeyboardInterrupt in the running code (a real SIGINT to this process
// only), which ends the run quietly, as Daytona's interpreter does on a timeout.

export const INTERPRETER_DRIVER = String.raw`
import os, sys, json, threading, queue, codecs, signal, traceback, ast
SENT = b"\x00\x1eDTDONE\x1e\x00"
proto = os.fdopen(os.dup(1), "w", encoding="utf-8")
lock = threading.Lock()
def emit(obj):
    with lock:
        proto.write(json.dumps(obj) + "\n")
        proto.flush()
events = {}
def pump(fd, kind, ev):
    dec = codecs.getincrementaldecoder("utf-8")("replace")
    pend = b""
    def out(b):
        t = dec.decode(b)
        if t:
            emit({"type": kind, "text": t})
    while True:
        data = os.read(fd, 65536)
        if not data:
            break
        buf = pend + data
        pend = b""
        while True:
            i = buf.find(SENT)
            if i < 0:
                break
            out(buf[:i])
            ev.set()
            buf = buf[i + len(SENT):]
        keep = 0
        for k in range(min(len(SENT) - 1, len(buf)), 0, -1):
            if SENT.startswith(buf[-k:]):
                keep = k
                break
        if keep:
            pend = buf[-keep:]
            buf = buf[:-keep]
        out(buf)
for fd, kind in ((1, "stdout"), (2, "stderr")):
    r, w = os.pipe()
    os.dup2(w, fd)
    os.close(w)
    events[kind] = threading.Event()
    threading.Thread(target=pump, args=(r, kind, events[kind]), daemon=True).start()
sys.stdout = os.fdopen(1, "w", buffering=1, encoding="utf-8", closefd=False)
sys.stderr = os.fdopen(2, "w", buffering=1, encoding="utf-8", closefd=False)
devnull = os.open(os.devnull, os.O_RDONLY)
os.dup2(devnull, 0)
runs = queue.Queue()
def reader():
    f = os.fdopen(3, "r", encoding="utf-8")
    for line in f:
        try:
            req = json.loads(line)
        except ValueError:
            continue
        if req.get("interrupt"):
            os.kill(os.getpid(), signal.SIGINT)
        else:
            runs.put(req)
    runs.put(None)
threading.Thread(target=reader, daemon=True).start()
ns = {"__name__": "__main__", "__builtins__": __builtins__}
def drain():
    for s in (sys.stdout, sys.stderr):
        try:
            s.flush()
        except Exception:
            pass
    for ev in events.values():
        ev.clear()
    os.write(1, SENT)
    os.write(2, SENT)
    for ev in events.values():
        while not ev.wait(0.05):
            pass
def run(req):
    saved = dict(os.environ)
    os.environ.update({str(k): str(v) for k, v in (req.get("envs") or {}).items()})
    interrupted = False
    try:
        tree = ast.parse(req.get("run", ""), "<stdin>", "exec")
        exec(compile(tree, "<stdin>", "exec"), ns)
    except KeyboardInterrupt:
        interrupted = True
    except BaseException as e:
        if isinstance(e, SystemExit) and e.code in (None, 0):
            pass
        else:
            tb = "".join(traceback.format_exception(type(e), e, e.__traceback__.tb_next if e.__traceback__ else None))
            emit({"type": "error", "name": type(e).__name__, "value": str(e), "traceback": tb})
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return interrupted
while True:
    try:
        req = runs.get()
        if req is None:
            break
        interrupted = run(req)
        while True:
            try:
                drain()
                break
            except KeyboardInterrupt:
                interrupted = True
        emit({"type": "done", "interrupted": interrupted})
    except KeyboardInterrupt:
        continue
`;
