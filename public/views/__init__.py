"""The public app's views, one module per audience: `pages` (anyone), `news_desk` and `feedback_desk` (officers).

Thin views: load once, check the rule (404 when not allowed), one service or selector, render or redirect."""
