#!/usr/bin/env python3
"""RSS of the terminal UI with a bounding-box task open (its PNG decoded and drawn with chafa)
against the same UI on the queue (issue 16; goal: within 10 MB).

A real manod with the sample tasks, `mano login`, `mano claim --kind bounding_boxes`,
`mano sync` (the image is downloaded), then `mano` in a tmux pane at 80x24, TERM=linux:
VmRSS on the queue, Enter, VmRSS with the task and its picture on screen (and VmHWM).

  tools/bench/ui_image_rss.py --bin build/bin --source . [--reps 5]
  tools/bench/ui_image_rss.py --bin build/bin --source . --image tools/bench/data/photo-1600x1200.jpg --size 1600x1200

--image puts another picture in the box tasks (a copy of the samples whose street.png is
replaced, its type from the file's extension, the form's width and height from --size):
the samples' own street.jpg, or tools/bench/data/photo-1600x1200.jpg (50 KB, a synthetic
1600x1200 JPEG).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "suite"))
from bench import Manod  # noqa: E402  (the bench suite's manod helper)


def status_kb(pid, field):
    children = open("/proc/%s/task/%s/children" % (pid, pid)).read().split()
    for child in children + [pid]:
        if "mano" in open("/proc/%s/comm" % child).read():
            for line in open("/proc/%s/status" % child).read().splitlines():
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    raise RuntimeError("no mano process under the pane")


def wait_for(sock, text):
    for _ in range(400):
        screen = subprocess.run(["tmux", "-S", sock, "capture-pane", "-p", "-t", "ui"],
                                capture_output=True, text=True).stdout
        if text in screen:
            return
        time.sleep(0.05)
    raise RuntimeError("%r never showed on:\n%s" % (text, screen))


def with_image(tasks, image, size, work):
    """A copy of the sample tasks whose box tasks show `image` (size "WxH")."""
    width, height = (int(v) for v in size.split("x"))
    kind = "image/jpeg" if image.lower().endswith((".jpg", ".jpeg")) else "image/png"
    out = os.path.join(work, "tasks.jsonl")
    # manod reads assets only from the tasks file's folder: the other samples' files too.
    shutil.copytree(os.path.join(os.path.dirname(tasks), "assets"), os.path.join(work, "assets"))
    shutil.copy(image, os.path.join(work, "assets", os.path.basename(image)))
    image = "assets/" + os.path.basename(image)
    with open(tasks) as src, open(out, "w") as dst:
        for line in src:
            task = json.loads(line)
            if task.get("kind") == "bounding_boxes":
                for asset in task["assets"]:
                    asset.pop("data", None)
                    asset.update(type=kind, path=image)
                for field in task["form"]["fields"]:
                    if field.get("type") == "boxes":
                        field.update(width=width, height=height)
            dst.write(json.dumps(task) + "\n")
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--image", help="the box tasks' picture instead of street.png")
    ap.add_argument("--size", help="WxH of --image, for the form's width and height")
    args = ap.parse_args()
    bin_dir = os.path.abspath(args.bin)
    work = tempfile.mkdtemp(prefix="mano-rss-")
    tasks = os.path.join(args.source, "tools/manod/samples/tasks.jsonl")
    if args.image:
        tasks = with_image(tasks, os.path.abspath(args.image), args.size, work)
    queue, task, peak = [], [], []
    manod = None
    try:
        for rep in range(args.reps):
            if manod:
                manod.stop()
            manod = Manod(bin_dir, work, tasks)  # a fresh one: the samples hold two box tasks
            data = tempfile.mkdtemp(prefix="data-", dir=work)
            config = os.path.join(work, "config.toml")
            open(config, "w").close()
            env = dict(os.environ, HOME=work, XDG_CONFIG_HOME=work, LANG="C.UTF-8",
                       TERM="linux")
            mano = [os.path.join(bin_dir, "mano"), "--data-dir", data, "--config", config]
            token = manod.new_worker()
            for cmd in (["login", "--server", manod.url, "--name", "w", "--token-file", token],
                        ["claim", "--kind", "bounding_boxes"], ["sync"]):
                subprocess.run(mano + cmd, env=env, check=True, capture_output=True)
            sock = os.path.join(work, "tmux%d.sock" % rep)
            subprocess.run(["tmux", "-S", sock, "new-session", "-d", "-s", "ui", "-x", "80",
                            "-y", "24", "env", "TERM=linux"] + mano, env=env, check=True)
            pid = subprocess.run(["tmux", "-S", sock, "list-panes", "-t", "ui", "-F",
                                  "#{pane_pid}"], capture_output=True, text=True).stdout.strip()
            wait_for(sock, "mano · Queue")
            time.sleep(1.0)
            queue.append(status_kb(pid, "VmRSS") / 1024.0)
            subprocess.run(["tmux", "-S", sock, "send-keys", "-t", "ui", "Enter"], check=True)
            try:
                wait_for(sock, "Objects")
            except RuntimeError:  # the first key can reach the UI before its queue is read
                subprocess.run(["tmux", "-S", sock, "send-keys", "-t", "ui", "Enter"], check=True)
                wait_for(sock, "Objects")
            time.sleep(1.0)
            task.append(status_kb(pid, "VmRSS") / 1024.0)
            peak.append(status_kb(pid, "VmHWM") / 1024.0)
            subprocess.run(["tmux", "-S", sock, "kill-server"], capture_output=True)
    finally:
        if manod:
            manod.stop()
        shutil.rmtree(work, ignore_errors=True)

    def row(name, values):
        return "| %s | %d | %.1f | %.1f | %.1f |" % (name, len(values), statistics.median(values),
                                                    min(values), max(values))
    diff = [t - q for t, q in zip(task, queue)]
    print("| UI, 80x24, TERM=linux | runs | median MB | min | max |")
    print("|---|---:|---:|---:|---:|")
    print(row("RSS on the queue", queue))
    print(row("RSS with the box task and its picture open", task))
    print(row("difference (task - queue)", diff))
    print(row("peak RSS (VmHWM) with the task open", peak))
    print("\ngoal: difference within 10 MB: %s" % ("met" if max(diff) <= 10 else "MISSED"))


if __name__ == "__main__":
    main()
