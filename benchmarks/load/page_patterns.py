"""What the load test reads off the portal's pages (the form's version and keys, the links to follow, the judge's
score inputs): shared by the locust scenarios and profile_pages.py, so both follow the pages the same way."""

import re

VERSION = re.compile(r'name="version" value="(\d+)"')
SUBMISSION_KEY = re.compile(r'name="submission_key" value="([0-9a-f-]{36})"')
REPORT_LINK = re.compile(r'href="/reports/(\d+)/"')
DRAFT_KEY = re.compile(r'name="draft_key" value="([0-9a-f-]{36})"')
ASSIGNMENT_ROW = re.compile(r'<tr>(?:(?!</tr>).)*?href="/contest/judge/(\d+)/"(?:(?!</tr>).)*?</tr>', re.S)
NOT_SCORED = "<td>Chưa chấm</td>"
SCORE_INPUT = re.compile(r'<input[^>]*name="score_(\d+)"[^>]*>')
MAX_ATTR = re.compile(r'max="([\d.]+)"')
