"""Inbound e-mail webhooks: benign requests as a help desk, CRM or mailbox app receives mail
from SendGrid Inbound Parse (multipart), Mailgun routes (form), Postmark (JSON) and SES via
SNS (JSON with the raw MIME message). The fields carry whole messages: marketing HTML with
Outlook conditionals and VML, `<style>` blocks, tracking pixels, quoted replies, signatures,
forwarded headers, and the transport's own headers (Received chains, DKIM-Signature,
Authentication-Results, List-Unsubscribe).
usage: mail.py OUT SEED COUNT"""
import base64, json, os, random, sys, uuid, urllib.parse as up
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Out
random.seed(int(sys.argv[2])); o = Out(sys.argv[1], "mail"); N = int(sys.argv[3])
R = random.choice
def hexid(n): return "".join(R("0123456789abcdef") for _ in range(n))
def b64(s): return base64.b64encode(s.encode() if isinstance(s, str) else s).decode()
def tok(n): return "".join(R("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))
PEOPLE = [("Seán O'Brien", "sean.obrien@example.ie"), ("Anne-Marie D'Angelo", "am.dangelo@example.com"), ("Zoë Núñez", "zoe@example.es"),
          ("Bill \"The Kid\" Smith", "bill@example.co.uk"), ("Support", "support@helpdesk.example.com"), ("Acme Billing", "billing@acme.example")]
SUBJECTS = ["Re: Order #10234 — wrong size", "Fwd: Invoice INV-2026-0042 (overdue)", "Your password was changed", "[JIRA] (OPS-123) DB migration fails: ERROR: syntax error at or near \"select\"",
            "Re: Re: can't log in -- please help!!", "Black Friday: up to 50% off <today only>", "Out of Office: Re: Q3 report", "Delivery Status Notification (Failure)",
            "[GitHub] Please verify your device", "Re: [acme/api] Fix: escape ' in search (#512)", "Your receipt from Example Store #2231-9921", "Meeting: Drop-in session / Q&A (Thu 3pm)"]
QUOTES = ["On Tue, 24 Nov 2026 at 09:12, Support <support@helpdesk.example.com> wrote:\n> Hi Seán,\n> Could you send us the order number and a photo of the label?\n> Thanks,\n> The Example Team",
          "-----Original Message-----\nFrom: Acme Billing <billing@acme.example>\nSent: Monday, November 23, 2026 4:01 PM\nTo: Anne-Marie D'Angelo <am.dangelo@example.com>\nSubject: Invoice INV-2026-0042\n\nPlease find attached your invoice. Payment is due within 30 days.",
          "---------- Forwarded message ---------\nFrom: <noreply@example.com>\nDate: Wed, Nov 25, 2026 at 8:00 AM\nSubject: Your password was changed\nTo: <zoe@example.es>\n\nIf this wasn't you, reset it at https://www.example.com/reset?token=" + "x" * 20,
          "> On 2026-11-25 11:02, Bill wrote:\n>> I ran `SELECT * FROM orders WHERE id = 10234;` and got nothing back.\n> Try `select * from orders where external_id = '10234'` instead -- ids differ.\n"]
BODIES = ["Hi there,\n\nI ordered a size 10 but received a 9 :( Can I swap it? Order #10234.\n\nThanks!\nSeán",
          "Hello,\n\nThe link in your e-mail goes to a 404: https://www.example.com/account/orders?id=10234&ref=email&utm_source=transactional\n\nRegards,\nAnne-Marie\n\n-- \nAnne-Marie D'Angelo | Ops Lead | +44 20 7946 0000\n\"Do or do not, there is no try\"",
          "When I click \"Pay\" nothing happens. Console says:\nUncaught TypeError: Cannot read properties of null (reading 'submit')\n    at HTMLButtonElement.<anonymous> (checkout.js:212:17)\n\nBrowser: Chrome 131 / Windows 11",
          "I'm away until 30 Nov with limited access to e-mail. For urgent issues call +1 (555) 010-0134 or write to ops@acme.example.",
          "This is the mail system at host mx.example.com.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n<old.address@example.net>: host mx.example.net[203.0.113.5] said: 550 5.1.1\n    <old.address@example.net>: Recipient address rejected: User unknown in\n    virtual mailbox table (in reply to RCPT TO command)",
          "Our migration script fails on step 3:\n\n    psql -h db.internal -U app -c \"ALTER TABLE orders ADD COLUMN note text;\"\n    ERROR:  permission denied for table orders\n\nAny idea? We're on PG 16.",
          "Thanks -- that worked! For anyone else: run `rm -rf ~/.cache/app && app --reset` then log in again.",
          "Please unsubscribe me from this list. I've asked 3 times!!!"]
HTMLS = [
    """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd"><html xmlns="http://www.w3.org/1999/xhtml" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/><o:PixelsPerInch>96</o:PixelsPerInch></o:OfficeDocumentSettings></xml><![endif]--><style type="text/css">body{margin:0;padding:0}table,td{border-collapse:collapse;mso-table-lspace:0pt;mso-table-rspace:0pt}@media only screen and (max-width:480px){.col{width:100%!important}}</style></head><body><center><table role="presentation" width="100%"><tr><td align="center"><!--[if mso]><v:roundrect xmlns:v="urn:schemas-microsoft-com:vml" href="https://www.example.com/sale?utm_source=email" style="height:44px;v-text-anchor:middle;width:200px;" arcsize="10%" stroke="f" fillcolor="#e63946"><w:anchorlock/><center><![endif]--><a href="https://click.example.com/ls/click?upn=""" + "TOKEN" + """" style="background:#e63946;color:#fff;display:inline-block;padding:12px 24px;border-radius:4px">Shop the sale &rarr;</a><!--[if mso]></center></v:roundrect><![endif]--></td></tr></table><img src="https://click.example.com/wf/open?upn=""" + "TOKEN" + """" alt="" width="1" height="1" border="0" style="height:1px!important;width:1px!important;border-width:0!important"></center></body></html>""",
    """<div dir="ltr">Hi,<div><br></div><div>See the error below &mdash; it happens every time I click &quot;Save&quot;:</div><div><br></div><div><font face="monospace">ERROR 1064 (42000): You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near &#39;&#39;)&#39; at line 1</font></div><div><br></div><div>Thanks,</div><div>Bill</div></div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Wed, Nov 25, 2026 at 10:00 AM Support &lt;<a href="mailto:support@helpdesk.example.com">support@helpdesk.example.com</a>&gt; wrote:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">Could you tell us what you typed?</blockquote></div>""",
    """<html><head><meta name="Generator" content="Microsoft Word 15 (filtered medium)"><style><!--
/* Font Definitions */
@font-face {font-family:"Cambria Math"; panose-1:2 4 5 3 5 4 6 3 2 4;}
p.MsoNormal, li.MsoNormal, div.MsoNormal {margin:0cm; font-size:11.0pt; font-family:"Calibri",sans-serif;}
a:link, span.MsoHyperlink {mso-style-priority:99; color:#0563C1; text-decoration:underline;}
--></style><!--[if gte mso 9]><xml>
<o:shapedefaults v:ext="edit" spidmax="1026" />
</xml><![endif]--></head><body lang="EN-GB" link="#0563C1" vlink="#954F72" style="word-wrap:break-word"><div class="WordSection1"><p class="MsoNormal">Hi Anne-Marie,<o:p></o:p></p><p class="MsoNormal"><o:p>&nbsp;</o:p></p><p class="MsoNormal">Please see attached &#8211; let me know if the figures don&#8217;t match.<o:p></o:p></p></div></body></html>""",
    """<table width="100%" cellpadding="0" cellspacing="0"><tr><td style="font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif;font-size:14px">
<p>Hey @sean-obrien,</p><p>A first-party GitHub OAuth application (<strong>Git Credential Manager</strong>) with <code>gist</code>, <code>repo</code>, and <code>workflow</code> scopes was recently authorized to access your account.</p>
<p>Visit <a href="https://github.com/settings/connections/applications/0120e057bd645470c1ed">https://github.com/settings/connections/applications/0120e057bd645470c1ed</a> for more information.</p>
<p>To see this and other security events for your account, visit <a href="https://github.com/settings/security-log">https://github.com/settings/security-log</a></p></td></tr></table>""",
]
def received():
    return [("Received", f"from mail-{R(['ej1', 'wr1', 'qv1'])}-f{random.randint(41, 199)}.google.com (mail-ej1-f{random.randint(41, 199)}.google.com [209.85.218.{random.randint(1, 254)}])\r\n\tby mx.sendgrid.net with ESMTP id {tok(22)}\r\n\tfor <inbox@parse.example.com>; Thu, 26 Nov 2026 20:45:39.123 +0000 (UTC)"),
            ("Received", f"by mail-ej1-f54.google.com with SMTP id {tok(16)}.1\r\n        for <inbox@parse.example.com>; Thu, 26 Nov 2026 12:45:38 -0800 (PST)"),
            ("DKIM-Signature", f"v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n        d=example.com; s=20230601; t=1764189938; x=1764794738; darn=parse.example.com;\r\n        h=to:subject:message-id:date:from:in-reply-to:references:mime-version\r\n         :from:to:cc:subject:date:message-id:reply-to;\r\n        bh={b64(hexid(32))[:43]}=;\r\n        b={b64(hexid(190))}"),
            ("X-Google-DKIM-Signature", f"v=1; a=rsa-sha256; c=relaxed/relaxed; d=1e100.net; s=20230601; t=1764189938; x=1764794738; h=x-gm-message-state:from:to:cc:subject:date; bh={b64(hexid(32))[:43]}=; b={b64(hexid(100))}"),
            ("Authentication-Results", f"mx.sendgrid.net;\r\n\tdkim=pass header.i=@example.com header.s=20230601 header.b={tok(8)};\r\n\tspf=pass (sendgrid.net: domain of bill@example.co.uk designates 209.85.218.54 as permitted sender) smtp.mailfrom=bill@example.co.uk;\r\n\tdmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.co.uk"),
            ("ARC-Seal", f"i=1; a=rsa-sha256; t=1764189938; cv=none; d=google.com; s=arc-20240605; b={b64(hexid(150))}"),
            ("Message-ID", f"<CA+{tok(40)}=={tok(10)}@mail.gmail.com>"),
            ("In-Reply-To", f"<{uuid.uuid4()}@helpdesk.example.com>"),
            ("References", f"<{uuid.uuid4()}@helpdesk.example.com> <CA+{tok(30)}@mail.gmail.com>"),
            ("List-Unsubscribe", f"<mailto:unsub-{hexid(16)}@em.example.com?subject=unsubscribe>, <https://em.example.com/unsubscribe?u={tok(30)}&id={hexid(10)}>"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            ("Content-Type", f"multipart/alternative; boundary=\"{hexid(28)}\""), ("MIME-Version", "1.0"),
            ("X-Mailer", R(["Microsoft Outlook 16.0", "Apple Mail (2.3774.200.91.1.1)", "iPhone Mail (22B91)"]))]
def header_text(hs): return "".join(f"{k}: {v}\r\n" for k, v in hs)
def message():
    (fn, fa), (tn, ta) = random.sample(PEOPLE, 2)
    subj = R(SUBJECTS)
    text = R(BODIES) + ("\n\n" + R(QUOTES) if random.random() < 0.6 else "")
    html = R(HTMLS).replace("TOKEN", tok(120)) if random.random() < 0.7 else None
    hs = [("From", f"\"{fn}\" <{fa}>"), ("To", f"{tn} <{ta}>"), ("Subject", subj), ("Date", "Thu, 26 Nov 2026 20:45:38 +0000")] + random.sample(received(), random.randint(4, 9))
    return fn, fa, ta, subj, text, html, hs
def multipart(fields):
    bd = "xYzZY" + hexid(12)
    parts = [f"--{bd}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n" for k, v in fields]
    return "".join(parts) + f"--{bd}--\r\n", "multipart/form-data; boundary=" + bd
i = 0
while o.n < N:
    fn, fa, ta, subj, text, html, hs = message()
    k = R(["sendgrid", "mailgun", "postmark", "ses"])
    if k == "sendgrid":
        fields = [("headers", header_text(hs)), ("dkim", "{@example.com : pass}"), ("to", ta), ("from", f"{fn} <{fa}>"), ("subject", subj), ("text", text), ("sender_ip", "209.85.218.54"),
                  ("spam_report", "Spam detection software, running on the system \"parsley-p1las1-spamassassin\",\nhas NOT identified this incoming email as spam.\n\nContent analysis details:   (-0.1 points, 5.0 required)\n\n pts rule name              description\n---- ---------------------- --------------------------------------------------\n-0.0 SPF_PASS               SPF: sender matches SPF record\n 0.0 HTML_MESSAGE           BODY: HTML included in message\n-0.1 DKIM_VALID             Message has at least one valid DKIM or DK signature"),
                  ("envelope", json.dumps({"to": [ta], "from": fa})), ("attachments", "0"), ("charsets", json.dumps({"to": "UTF-8", "html": "UTF-8", "subject": "UTF-8", "from": "UTF-8", "text": "UTF-8"})), ("SPF", "pass")]
        if html: fields.append(("html", html))
        body, ct = multipart(fields)
        o.emit("sendgrid", "POST", "/webhooks/inbound/sendgrid", body, ct, ua="Sendlib/1.0 (+https://sendgrid.com)")
    elif k == "mailgun":
        d = {"recipient": ta, "sender": fa, "from": f"{fn} <{fa}>", "subject": subj, "body-plain": text, "stripped-text": text.split("\n\nOn ")[0], "stripped-signature": "-- \nAnne-Marie D'Angelo | Ops Lead",
             "message-headers": json.dumps([[k2, v] for k2, v in hs]), "timestamp": "1764189939", "token": hexid(50), "signature": hexid(64)}
        if html: d["body-html"] = html; d["stripped-html"] = html
        o.emit("mailgun", "POST", "/webhooks/inbound/mailgun", up.urlencode(d), "application/x-www-form-urlencoded", ua="mailgun/treq-16.12.0")
    elif k == "postmark":
        d = {"FromName": fn, "MessageStream": "inbound", "From": fa, "FromFull": {"Email": fa, "Name": fn, "MailboxHash": ""}, "To": ta, "ToFull": [{"Email": ta, "Name": "", "MailboxHash": "ticket-" + str(random.randint(1000, 9999))}],
             "Subject": subj, "MessageID": str(uuid.uuid4()), "ReplyTo": "", "Date": "Thu, 26 Nov 2026 20:45:38 +0000", "TextBody": text, "HtmlBody": html or "", "StrippedTextReply": text.split("\n\n")[0], "Tag": "",
             "Headers": [{"Name": k2, "Value": v} for k2, v in hs], "Attachments": []}
        o.emit("postmark", "POST", "/webhooks/inbound/postmark", json.dumps(d), "application/json", ua="Postmark")
    else:
        bd = hexid(28)
        mime = header_text(hs) + f"\r\n--{bd}\r\nContent-Type: text/plain; charset=\"UTF-8\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n{text}\r\n"
        if html: mime += f"--{bd}\r\nContent-Type: text/html; charset=\"UTF-8\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{b64(html)}\r\n"
        mime += f"--{bd}--\r\n"
        note = {"notificationType": "Received", "mail": {"timestamp": "2026-11-26T20:45:39.123Z", "source": fa, "messageId": hexid(40), "destination": [ta], "headersTruncated": False, "headers": [{"name": k2, "value": v} for k2, v in hs], "commonHeaders": {"from": [f"{fn} <{fa}>"], "to": [ta], "subject": subj}},
                "receipt": {"spamVerdict": {"status": "PASS"}, "virusVerdict": {"status": "PASS"}, "spfVerdict": {"status": "PASS"}, "dkimVerdict": {"status": "PASS"}, "dmarcVerdict": {"status": "PASS"}, "action": {"type": "SNS", "topicArn": "arn:aws:sns:eu-west-1:123456789012:inbound", "encoding": "BASE64"}},
                "content": b64(mime)}
        sns = {"Type": "Notification", "MessageId": str(uuid.uuid4()), "TopicArn": "arn:aws:sns:eu-west-1:123456789012:inbound", "Subject": "Amazon SES Email Receipt Notification", "Message": json.dumps(note), "Timestamp": "2026-11-26T20:45:39.500Z",
               "SignatureVersion": "1", "Signature": b64(hexid(128)), "SigningCertURL": "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-" + hexid(32) + ".pem", "UnsubscribeURL": "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:eu-west-1:123456789012:inbound:" + str(uuid.uuid4())}
        o.emit("ses", "POST", "/webhooks/inbound/ses", json.dumps(sns), "text/plain; charset=UTF-8", ua="Amazon Simple Notification Service Agent", extra=[["x-amz-sns-message-type", "Notification"], ["x-amz-sns-topic-arn", "arn:aws:sns:eu-west-1:123456789012:inbound"]])
