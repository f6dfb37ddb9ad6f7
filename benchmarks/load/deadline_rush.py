"""The deadline rush: every grassroots officer of the rush period (prepare.py --deadline-rush makes 1,000 of them,
and the period, due today) submits her report within the run's first RUSH_SECONDS (10 minutes), while the heads of
their units review what comes in.

Run through `bash benchmarks/load/run.sh deadline-rush` (README, "Load and fault tests"), which starts one locust user
per officer at the rate that spreads their arrivals over RUSH_SECONDS, plus the heads. Each officer files once: she
opens her to-do list and the form, submits (confirming unusual figures if asked), and a share of them (RESEND_SHARE)
send the same submission again, as a double click or a browser that lost the answer does; that answer must be the
same success, and verify.py checks every unit that saw a success holds exactly one submitted report, under the one
submission key she sent.
"""

import itertools
import os
import random

import locustfile as base
from locust import task

RESEND_SHARE = float(os.environ.get("RESEND_SHARE", "0.1"))
RUSH_IDLE_SECONDS = 3600  # longer than any run: an officer who filed makes no more requests
_rush_filers = iter(base.MANIFEST["rush_filers"])
_rush_heads = itertools.cycle(base.MANIFEST["heads"])


class RushOfficer(base.Person):
    """One grassroots officer, once: the arrivals are spread by the spawn rate run.sh sets. Having filed, she stays
    (idle) until the run ends: a user that stopped would be replaced at once by the ramp, which keeps the number of
    running users at its target, and the officers would all arrive in the first two minutes instead of over ten."""

    weight = 1  # every user but the heads' fixed count
    filed = False

    def wait_time(self):
        return RUSH_IDLE_SECONDS if self.filed else random.uniform(0, 1)

    @task
    def file_before_the_deadline(self):
        if self.filed:
            return
        try:
            filer = next(_rush_filers)
        except StopIteration:
            self.filed = True  # no officer left to play: idle like the others
            return
        self.login_as(filer["session"])
        self.get("/reports/", "officer: to-do list")
        base.submit_report(self, base.MANIFEST["filing_period"], filer["unit"], resend=random.random() < RESEND_SHARE)
        self.filed = True


class RushHead(base.ReviewingHead):
    """A head of the rushing units' parents, reviewing as their reports arrive."""

    fixed_count = int(os.environ.get("RUSH_HEADS", "20"))

    def on_start(self):
        self.me = next(_rush_heads)
        self.login_as(self.me["session"])
