"""What the progress app tells apps above it, so that it never imports them.

`enrolment_signed_off` is sent inside the sign-off transaction, after the enrolment is
signed off and its event written, with `enrolment`, `signer` and `signer_registration`:
whatever a receiver records commits or rolls back with the sign-off. The certificates app
issues the certificate here (connected in its AppConfig.ready()).
"""

from django.dispatch import Signal

enrolment_signed_off = Signal()
