// The process that carries one forwarded TCP connection (ssh -L, direct-tcpip) inside the sandbox:
// it connects from the sandbox's own network, so "localhost" is the sandbox's loopback, never the
// host's. It says "OK" on stderr once connected (the gateway only then accepts the channel), then
// copies stdin to the socket and the socket to stdout; the peer's close ends it.
export const RELAY_SOURCE = `
import os, socket, sys, threading
host, port = sys.argv[1], int(sys.argv[2])
try:
    s = socket.create_connection((host, port), timeout=10)
except OSError as e:
    sys.stderr.write("ERR %s\\n" % e)
    sys.stderr.flush()
    sys.exit(1)
s.settimeout(None)
sys.stderr.write("OK\\n")
sys.stderr.flush()
def upstream():
    while True:
        d = os.read(0, 65536)
        if not d:
            break
        s.sendall(d)
    try:
        s.shutdown(socket.SHUT_WR)
    except OSError:
        pass
threading.Thread(target=upstream, daemon=True).start()
out = sys.stdout.buffer
while True:
    try:
        d = s.recv(65536)
    except OSError:
        break
    if not d:
        break
    out.write(d)
    out.flush()
os._exit(0)
`;

/** argv for the relay (python3 is on every Daytona image and on the local sandbox images). */
export function relayArgv(host: string, port: number): string[] {
  return ["python3", "-c", RELAY_SOURCE, host, String(port)];
}
