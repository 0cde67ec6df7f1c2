#!/bin/sh
# The sequence diagrams of `synclab run --format mermaid` and `--format
# html` show push and plans: the hub and the platform services as
# participants beside the devices and the backend; the backend's send to
# the hub and its answer; the hub handing each notification to APNs, FCM
# or WNS; what the service did (held for an offline device, delivered,
# dropped, 410 for an expired channel); and the plan's stops (403), scale
# out, scale up and autoscale as notes over the backend.
set -u
fail() { echo "FAIL: $*"; exit 1; }
cd "$TMPDIR" || exit 1
mm() { "$SYNCLAB" run "$SRCDIR/scenarios/$1.json" --format mermaid >"$1.mm" || fail "$1: mermaid run"; }
has() { grep -qF -- "$2" "$1" || fail "$1: no line with: $2"; }
hasnt() { grep -qF -- "$2" "$1" && fail "$1: a line with: $2"; return 0; }

# APNs keeps one notification for an offline iPhone.
mm push-apns-offline
has push-apns-offline.mm 'participant Hub as Notification Hub'
has push-apns-offline.mm 'participant APNs'
hasnt push-apns-offline.mm 'participant FCM'
has push-apns-offline.mm 'd_iPhone->>APNs: ask for a push channel'
has push-apns-offline.mm 'Backend->>Hub: send (apple)'
has push-apns-offline.mm 'Hub-->>Backend: 200 OK'
has push-apns-offline.mm 'Hub->>APNs: notification #35;1 (alert) for iPhone: 200'
has push-apns-offline.mm 'Note over APNs: held for iPhone (offline)'
has push-apns-offline.mm 'Note over APNs: held for iPhone (offline): replaces the one it held'
has push-apns-offline.mm 'APNs->>d_iPhone: delivered: notification #35;3 from APNs (alert)'
[ "$(grep -c 'APNs->>d_iPhone: delivered' push-apns-offline.mm)" -eq 1 ] ||
	fail "push-apns-offline: APNs should deliver one of the three"
# The participants come before every message.
awk '/participant/ { if (msg) exit 1 } /->>|-->>|--x|Note/ { msg = 1 }' push-apns-offline.mm ||
	fail "a participant after a message"

# FCM drops everything past 100 and sends the deleted-messages signal.
mm push-fcm-overflow
has push-fcm-overflow.mm 'participant FCM'
has push-fcm-overflow.mm 'FCM--xd_Android: dropped: over 100 held, all discarded'
has push-fcm-overflow.mm 'FCM->>d_Android: the deleted-messages signal'

# WNS: a raw notification is dropped offline; an expired channel is 410.
mm push-templates
for p in APNs FCM WNS; do has push-templates.mm "participant $p"; done
has push-templates.mm 'WNS-->>Hub: 410 Gone'

# The plan: the Free tier stops the app (403), then a scale up.
mm plan-free-cpu
has plan-free-cpu.mm "Note over Backend: App Service plan, 403: 08:04:25: the Free tier's CPU quota"
hasnt plan-free-cpu.mm 'Note over Backend: App Service plan: 08:00 F1'	# minutes: not drawn
has plan-free-cpu.mm 'Note over Backend: App Service plan: scaled up from F1 (Free) to B1 (Basic)'
hasnt plan-free-cpu.mm 'participant Hub'

# Scale out by hand, a refused fourth instance, autoscale at work.
mm plan-storm
has plan-storm.mm 'Note over Backend: App Service plan: scaled out by hand: 1 -> 3 instances'
has plan-storm.mm 'Note over Backend: App Service plan refuses:'
has plan-storm.mm 'Note over Backend: App Service plan: autoscale on: 3 to 10 instances'
grep -q 'Note over Backend: App Service plan: .*autoscale (Standard): average CPU' plan-storm.mm ||
	fail "plan-storm: no autoscale decision"

# The page draws the same: the extra columns, the messages, the notes.
for s in push-apns-offline plan-storm; do
	"$SYNCLAB" run "$SRCDIR/scenarios/$s.json" --format html >"$s.html" || fail "$s: html run"
	xmllint --noout "$s.html" || fail "$s: not well-formed"
done
for part in '>Notification Hub</text>' '>APNs</text>' '>send (apple)</text>' \
    '>held for iPhone (offline)</text>' \
    '>delivered: notification #3 from APNs (alert)</text>' \
    '<line class="msg cloud req '; do
	grep -qF -- "$part" push-apns-offline.html || fail "push-apns-offline.html: no $part"
done
[ "$(grep -o '<line class="msg cloud' push-apns-offline.html | wc -l)" -eq \
  "$(grep -c -- '->>Hub\|Hub-->>\|Hub->>\|APNs->>\|->>APNs' push-apns-offline.mm)" ] ||
	fail "the page and the Mermaid diagram draw different push messages"
grep -q '<text class="cloud[^"]*"[^>]*>App Service plan: scaled out by hand' plan-storm.html ||
	fail "plan-storm.html: no scale-out note"
echo "ok"
