#!/usr/bin/env python3
"""runner_interrupt.py QEMU_RUN KERNEL LOGDIR: ci/qemu-run stops QEMU on SIGINT, SIGTERM, SIGHUP.

For each signal: boot the kernel with selftest=hang (it never exits by itself) under a long
timeout, wait until the log shows the hang started, send the signal to ci/qemu-run, and require
exit code 7, the word INTERRUPTED in its report, and no QEMU process left behind. The verdict
depends on what happened, not on how fast: the waits below only detect hangs.
"""
import os
import signal
import subprocess
import sys
import time

HANG_DETECT_S = 600  # far above the ~1 s boot; only a runner that never starts trips it
# After the signal the runner needs at most its 5 s grace period and a SIGKILL; a runner that
# ignores the signal would run on until its 3600 s timeout. 120 s tells the two apart on a
# loaded machine.
STOP_DETECT_S = 120


def qemu_alive(log):
    out = subprocess.run(["pgrep", "-f", "qemu-system-x86_64.*" + log],
                         capture_output=True, text=True)
    return out.returncode == 0


def one(qemu_run, kernel, logdir, sig):
    log = os.path.join(logdir, "qemu_runner_interrupt_%s.log" % sig.name)
    if os.path.exists(log):
        os.unlink(log)
    proc = subprocess.Popen([qemu_run, "--quiet", "--timeout", "3600", "--log", log,
                             "--append", "selftest=hang", kernel],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + HANG_DETECT_S
    while time.monotonic() < deadline:
        if os.path.exists(log) and "selftest: hang" in open(log, errors="replace").read():
            break
        if proc.poll() is not None:
            print("%s: ci/qemu-run exited early (%d):\n%s" % (sig.name, proc.returncode,
                                                               proc.stdout.read()))
            return False
        time.sleep(0.2)
    else:
        proc.kill()
        print("%s: the kernel never reached selftest=hang" % sig.name)
        return False
    proc.send_signal(sig)
    try:
        out, _ = proc.communicate(timeout=STOP_DETECT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        subprocess.run(["pkill", "-KILL", "-f", "qemu-system-x86_64.*" + log])
        print("%s: ci/qemu-run did not stop after the signal" % sig.name)
        return False
    ok = True
    if proc.returncode != 7:
        print("%s: exit %d, want 7 (interrupted)" % (sig.name, proc.returncode))
        ok = False
    if "INTERRUPTED: SIG%s" % sig.name[3:] not in out:
        print("%s: report does not say INTERRUPTED:\n%s" % (sig.name, out))
        ok = False
    if qemu_alive(log):
        print("%s: QEMU is still running after ci/qemu-run exited" % sig.name)
        subprocess.run(["pkill", "-KILL", "-f", "qemu-system-x86_64.*" + log])
        ok = False
    print("%s: %s" % (sig.name, "ok" if ok else "FAILED"))
    return ok


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    qemu_run, kernel, logdir = sys.argv[1:]
    os.makedirs(logdir, exist_ok=True)
    results = [one(qemu_run, kernel, logdir, s)
               for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)]
    print("%d passed, %d failed" % (results.count(True), results.count(False)))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
