"""Everyone signed in has notifications of her own; the list shows only hers (selectors.notifications_for)."""

import rules

rules.add_perm("notifications.see_notifications", rules.is_authenticated)  # the header's link
