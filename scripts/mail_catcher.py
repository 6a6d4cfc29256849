"""A local SMTP server for development and tests: it accepts every message and keeps it as a .eml file.

    python scripts/mail_catcher.py --port 1025 --directory instance/mail

Like a real server, it refuses some recipients, so a bad address can be shown failing without the internet:
a mailbox named `bounce` (bounce@…, bounce+anything@…, as in the mailbox simulators of email providers) gets
"550 5.1.1", and any address at the reserved `.invalid` top-level domain (RFC 2606) "550 5.1.2". Nothing
leaves this machine.
"""
import argparse
import asyncio
import itertools
import time
from pathlib import Path

from aiosmtpd.controller import Controller


class KeepEverything:
    def __init__(self, directory: Path):
        self.directory = directory
        self.numbers = itertools.count(len(list(directory.glob("*.eml"))) + 1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        mailbox, _, domain = address.lower().rpartition("@")
        if mailbox.split("+")[0] == "bounce":
            return "550 5.1.1 No such mailbox here"
        if domain.endswith(".invalid"):
            return "550 5.1.2 The domain of this address does not exist"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{next(self.numbers):05d}.eml"
        temporary = self.directory / (name + ".part")
        temporary.write_bytes(envelope.original_content or envelope.content)
        temporary.rename(self.directory / name)  # a reader never sees half a message
        return "250 Message accepted for delivery"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1025)
    parser.add_argument("--directory", default="instance/mail")
    args = parser.parse_args()
    directory = Path(args.directory)
    directory.mkdir(parents=True, exist_ok=True)
    controller = Controller(KeepEverything(directory), hostname=args.host, port=args.port)
    controller.start()
    print(f"Mail catcher on {args.host}:{args.port}, keeping messages in {directory}/", flush=True)
    try:
        asyncio.run(asyncio.Event().wait())
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
