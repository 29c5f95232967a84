"""An `__in` lookup on an integer column ignores the values the column cannot hold, as Django's
own `exact`, `gt` and the rest already do: SQLite raised OverflowError on them, so the platform
administration's many-to-many and autocomplete fields, sent a 30-digit id, were 500s (found by
tests/fuzz/test_admin_forms.py)."""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            # None (never equal to anything) and empty lists are In's to handle.
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
