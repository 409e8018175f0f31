#!/usr/bin/env python3
"""A loopback SMTP server for the test suite: every message it accepts is
written to DIR as <time>-<seq>.eml (written to a temporary name first, then
renamed, so a reader never sees half a message).

    python3 tests/support/smtp_catcher.py --listen 127.0.0.1:2525 --dir /tmp/mails [--ready-file F]

Needs aiosmtpd (Debian: python3-aiosmtpd). Stops on SIGTERM/SIGINT.
"""
import argparse
import asyncio
import itertools
import os
import signal
import time

from aiosmtpd.controller import Controller


class Catcher:
    def __init__(self, directory):
        self.directory = directory
        self.counter = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        seq = next(self.counter)
        name = "%d-%06d.eml" % (time.time_ns(), seq)
        tmp = os.path.join(self.directory, "." + name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(b"X-Envelope-From: " + envelope.mail_from.encode() + b"\r\n")
            f.write(b"X-Envelope-To: " + ",".join(envelope.rcpt_tos).encode() + b"\r\n")
            f.write(envelope.original_content or envelope.content)
        os.rename(tmp, os.path.join(self.directory, name))
        return "250 OK"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--ready-file")
    args = parser.parse_args()
    host, port = args.listen.rsplit(":", 1)
    os.makedirs(args.dir, exist_ok=True)
    controller = Controller(Catcher(args.dir), hostname=host, port=int(port))
    controller.start()
    if args.ready_file:
        with open(args.ready_file, "w") as f:
            f.write("%s:%s\n" % (host, port))
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        loop.run_until_complete(stop.wait())
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
