import { createServer, type Server } from 'node:net';
import { type ExpressionOutcome } from '../../src/main/engine/ports';

/**
 * The red-team suite for expression hosts: each vector is Python that returns True only if its
 * attack worked (`attacked` decides from the outcome, for the few whose success the expression
 * itself cannot see). Run by `test/integration/expressions/red-team-node.test.ts` against the
 * Node child host and by `test/e2e/expressions-red-team-browser.test.ts` against the browser
 * host in Chromium. `context` carries the targets: a secret file, a path to write, a TCP
 * listener that counts connections, an environment canary.
 */

export interface RedTeamTargets {
  secret_path: string;
  secret_value: string;
  write_path: string;
  spawn_marker: string;
  port: number;
  env_canary: string;
}

export interface RedTeamVector {
  name: string;
  source: string;
  /** Default: the expression returned True. */
  attacked?: (outcome: ExpressionOutcome) => boolean;
  /** Slow vectors (the deadline, the memory bomb) run with this timeout. */
  timeoutMs?: number;
}

/** Finds JsProxy objects on the Python heap through gc, loaded past the import guard. */
const GC_PROXIES = `
def _loader():
    for cls in object.__subclasses__():
        if cls.__name__ == "BuiltinImporter":
            return cls
    return None

def _load(name):
    import importlib.util as u
    bi = _loader()
    spec = u.spec_from_loader(name, bi)
    mod = bi.create_module(spec)
    bi.exec_module(mod)
    return mod

def proxies():
    try:
        gc = _load("gc")
    except Exception:
        return []
    found = []
    for o in gc.get_objects():
        if "JsProxy" in type(o).__name__ or type(o).__module__ in ("pyodide.ffi", "_pyodide_core"):
            found.append(o)
        if len(found) > 5000:
            break
    return found
`;

export const RED_TEAM_VECTORS: readonly RedTeamVector[] = [
  {
    name: 'import js reaches the host globals',
    source: `import js\nreturn any(hasattr(js, n) for n in ("process", "fetch", "document", "require", "importScripts", "postMessage"))`,
  },
  {
    name: 'import pyodide_js reaches the file system API',
    source: `import pyodide_js\nreturn pyodide_js.FS is not None`,
  },
  {
    name: 'pyodide.code.run_js runs JavaScript',
    source: `from pyodide.code import run_js\nreturn run_js("1 + 1") == 2`,
  },
  {
    name: 'pyodide.ffi gives a JS global scope',
    source: `from pyodide.ffi import JsProxy, to_js\nimport js\nreturn js.globalThis is not None`,
  },
  {
    name: '__import__ / importlib bypass the import statement',
    source: `import importlib\nfor attempt in (lambda: __import__("js"), lambda: importlib.import_module("js"), lambda: importlib.import_module("pyodide_js")):\n    try:\n        m = attempt()\n        if any(hasattr(m, n) for n in ("process", "fetch", "FS", "importScripts")):\n            return True\n    except BaseException:\n        pass\nreturn False`,
  },
  {
    name: 'sys.meta_path reset undoes the import guard',
    // Clearing the guard brings back the C half of the bridge (`_pyodide_core`, a builtin
    // module); it must lead nowhere: no registered JS module, no global scope, no eval.
    source: `import sys, builtins\nimport importlib.machinery as m\nsys.meta_path[:] = [m.BuiltinImporter, m.FrozenImporter, m.PathFinder]\nimport importlib\nfor name in ("js", "pyodide_js"):\n    try:\n        mod = importlib.import_module(name)\n        if any(hasattr(mod, n) for n in ("process", "fetch", "FS", "importScripts")):\n            return True\n    except BaseException:\n        pass\ntry:\n    core = importlib.import_module("_pyodide_core")\n    obj = core.to_js({"a": 1})\n    g = obj.constructor.constructor("return globalThis")()\n    return g is not None\nexcept BaseException:\n    pass\nreturn False`,
  },
  {
    name: 'sys.modules keeps the hidden bridge modules',
    source: `import sys\nreturn any(sys.modules.get(n) is not None for n in ("js", "pyodide_js", "pyodide", "_pyodide_core", "pyodide.ffi"))`,
  },
  {
    name: 'gc / __subclasses__ walk finds a JsProxy that reaches the host',
    source: `${GC_PROXIES}\nfor p in proxies():\n    for n in ("process", "fetch", "require", "importScripts", "mountNodeFS", "FS", "globalThis"):\n        try:\n            if getattr(p, n, None) is not None:\n                return True\n        except BaseException:\n            pass\n    try:\n        if p.constructor.constructor("return globalThis")() is not None:\n            return True\n    except BaseException:\n        pass\nreturn False`,
  },
  {
    name: 'os.environ exposes the app environment',
    source: `import os\nreturn any(context["env_canary"] in (k + "=" + v) for k, v in os.environ.items())`,
  },
  {
    name: 'open() reads a host file',
    source: `for path in (context["secret_path"], "/host" + context["secret_path"]):\n    try:\n        if context["secret_value"] in open(path).read():\n            return True\n    except BaseException:\n        pass\nreturn False`,
  },
  {
    name: 'mountNodeFS / NODEFS mounts the host file system',
    source: `${GC_PROXIES}\nimport os\ncandidates = list(proxies())\ntry:\n    import pyodide_js\n    candidates.insert(0, pyodide_js)\nexcept BaseException:\n    pass\nd = os.path.dirname(context["secret_path"])\nfor p in candidates:\n    try:\n        p.mountNodeFS("/mnt_rt", d)\n        return context["secret_value"] in open("/mnt_rt/" + os.path.basename(context["secret_path"])).read()\n    except BaseException:\n        pass\n    try:\n        fs = p.FS\n        fs.mkdirTree("/mnt_rt2")\n        fs.mount(fs.filesystems.NODEFS, {"root": d}, "/mnt_rt2")\n        return context["secret_value"] in open("/mnt_rt2/" + os.path.basename(context["secret_path"])).read()\n    except BaseException:\n        pass\nreturn False`,
  },
  {
    name: 'writes a host file',
    // Only the host can see whether this worked: the test checks the path afterwards.
    source: `import os\nfor path in (context["write_path"], "/host" + context["write_path"]):\n    try:\n        with open(path, "w") as f:\n            f.write("pwned")\n    except BaseException:\n        pass\nreturn False`,
  },
  {
    name: 'spawns a process',
    source: `import os\nok = False\ntry:\n    ok = os.system("touch " + context["spawn_marker"]) == 0\nexcept BaseException:\n    pass\ntry:\n    import subprocess\n    ok = ok or subprocess.run(["touch", context["spawn_marker"]]).returncode == 0\nexcept BaseException:\n    pass\ntry:\n    pid = os.posix_spawn("/usr/bin/touch", ["touch", context["spawn_marker"]], {})\n    ok = ok or pid > 0\nexcept BaseException:\n    pass\nreturn ok`,
  },
  {
    name: 'opens a TCP connection and reads the banner (socket, urllib, http.client)',
    // The listener writes "hello" to every connection: a connect() that only pretends (an
    // emulated socket whose WebSocket CSP refuses) reads nothing.
    source: `${GC_PROXIES}\nport = context["port"]\ntry:\n    s = _load("_socket").socket()\n    s.settimeout(2)\n    s.connect(("127.0.0.1", port))\n    if s.recv(5) == b"hello":\n        return True\nexcept BaseException:\n    pass\nimport importlib\nfor mod, call in (("socket", lambda m: m.create_connection(("127.0.0.1", port), 2).recv(5) == b"hello"), ("urllib.request", lambda m: m.urlopen("http://127.0.0.1:%d/" % port, timeout=2).read(5) == b"hello"), ("http.client", lambda m: m.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/") or True)):\n    try:\n        if call(importlib.import_module(mod)):\n            return True\n    except BaseException:\n        pass\nreturn False`,
  },
  {
    name: 'fetch / XMLHttpRequest through a JsProxy',
    source: `${GC_PROXIES}\nfor p in proxies():\n    for n in ("fetch", "XMLHttpRequest", "WebSocket"):\n        try:\n            f = getattr(p, n, None)\n            if f is not None:\n                f("http://127.0.0.1:%d/" % context["port"])\n                return True\n        except BaseException:\n            pass\nreturn False`,
  },
  {
    name: 'kills the parent process',
    source: `${GC_PROXIES}\nimport os, signal\ntry:\n    os.kill(os.getppid(), signal.SIGKILL)\n    return True\nexcept BaseException:\n    pass\nfor p in proxies():\n    try:\n        proc = p.process\n        proc.kill(proc.ppid, "SIGKILL")\n        return True\n    except BaseException:\n        pass\nreturn False`,
  },
  {
    name: 'ctypes runs JavaScript or a shell command through libc / emscripten',
    source: `import sys, importlib\nimport importlib.machinery as m\nsys.meta_path[:] = [m.BuiltinImporter, m.FrozenImporter, m.PathFinder]\ntry:\n    ctypes = importlib.import_module("ctypes")\nexcept BaseException:\n    return False\nlib = ctypes.CDLL(None)\ntry:\n    if lib.emscripten_run_script_int(b"1 + 1") == 2:\n        return True\nexcept BaseException:\n    pass\ntry:\n    if lib.system(("touch " + context["spawn_marker"]).encode()) == 0:\n        return True\nexcept BaseException:\n    pass\nreturn False`,
  },
  {
    name: 'while True: pass never returns',
    source: `while True:\n    pass`,
    timeoutMs: 1500,
    attacked: (outcome) => outcome.timed_out !== true,
  },
  {
    name: 'deep recursion past a raised recursion limit',
    source: `import sys\ntry:\n    sys.setrecursionlimit(10**6)\nexcept BaseException:\n    pass\ndef f(n):\n    return f(n + 1)\nf(0)\nreturn True`,
  },
  {
    name: 'memory bomb (3 GiB at once, then a growing list)',
    source: `try:\n    big = bytearray(3 * 1024 ** 3)\n    return len(big) > 0\nexcept MemoryError:\n    pass\nchunks = []\nwhile True:\n    chunks.append(bytearray(16 * 1024 ** 2))\n    if len(chunks) > 200:\n        return True`,
    timeoutMs: 20_000,
  },
  {
    name: 'huge output floods the host',
    source: `s = "x" * (8 * 1024 ** 2)\nfor i in range(64):\n    print(s)\n    ak_message(s)\n    ak_logger.info(s)\nreturn "y" * (64 * 1024 ** 2)`,
    timeoutMs: 20_000,
    attacked: (outcome) =>
      (outcome.output ?? '').length > 128 * 1024 ||
      outcome.messages.some((m) => m.length > 64 * 1024) ||
      outcome.logs.some((l) => l.message.length > 64 * 1024) ||
      JSON.stringify(outcome.result ?? null).length > 1024 * 1024,
  },
];

/** A TCP listener on 127.0.0.1 that counts connections and greets each with "hello". */
export async function startCountingListener(): Promise<{ port: number; connections(): number; close(): Promise<void> }> {
  let count = 0;
  const server: Server = createServer((socket) => {
    count += 1;
    socket.end('hello');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    connections: () => count,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
