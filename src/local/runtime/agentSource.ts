// The toolbox agent: a small node program run inside a sandbox (`node -e`, as the sandbox's user, one
// per sandbox, over one engine exec) that does the toolbox's file operations there, so the kernel
// confines every path: nothing on the host is touched and no host-side path check can be raced.
//
// It also starts the toolbox's processes (no PTY): a child of the agent costs a few milliseconds where
// an engine exec costs ~100 ms here. Each runs in a session of its own (detached), so a kill finds
// its whole tree (the server adds a root kill for what sudo raised out of the agent's reach).
//
// Frames both ways: u32 length (of what follows), u8 type, u32 request id, payload.
//   to the agent:   1 JSON request {op, ...}, 2 upload bytes, 3 upload end, 4 upload abort,
//                   5 stdin bytes, 6 stdin end, 7 fd 3 bytes, 8 fd 3 end
//   from the agent: 1 JSON answer {ok, result} | {ok:false, code, message}, 2 download bytes,
//                   3 download end, 6 stdout bytes, 7 stderr bytes, 8 exit {code, signal}
// Uploads go to a hidden sibling (".<name>.daytona-upload-<random>") renamed into place on "end"; an
// abort, a failed write or the server going away (stdin closes) removes it, so no partial file stays.
// Every staged file is also noted in a journal (/var/tmp/.daytona-uploads-<uid>/): an agent that
// starts removes what an earlier one left (its container was killed mid-upload), and "inflight"
// names what is staged right now (a commit marks those on the image, see runtime/index.ts).
// Everything is synchronous: one request at a time, in order, which keeps the agent small.
import { AGENT_FILES } from "./agent/files";
import { AGENT_FRAMES } from "./agent/frames";
import { AGENT_GLOB } from "./agent/glob";
import { AGENT_PROCESSES } from "./agent/processes";
import { AGENT_UPLOAD_JOURNAL } from "./agent/uploadJournal";
import { AGENT_UPLOADS } from "./agent/uploads";

// The parts share one script scope (the agent runs as one `node -e` program); the frame reader is last,
// so everything it dispatches to exists before the first request is read.
const PRELUDE = String.raw`
"use strict";
const fs = require("fs");
const path = require("path");
const HOME = process.env.HOME || "/";
const ops = {};
`;

export const AGENT_SOURCE = [PRELUDE, AGENT_GLOB, AGENT_UPLOAD_JOURNAL, AGENT_FILES, AGENT_UPLOADS, AGENT_PROCESSES, AGENT_FRAMES].join("\n");
