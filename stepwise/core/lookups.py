"""Lookups that treat an integer no database column can hold as matching nothing, as Django's
own `exact`, `gt` and the rest already do on an integer field, for the lookups Django leaves
out: `__in`, and a foreign key's `exact` and `__in`. SQLite raised OverflowError on such a
value, so a 30-digit id was a 500: sent to the platform administration's many-to-many fields,
or in an address (/enrolments/<2**63>/proficiencies/<id>/). Both found by tests/fuzz/."""

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignObject, IntegerField
from django.db.models.expressions import ColPairs
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In


def _bounds(field, connection) -> tuple[int | None, int | None]:
    """The least and greatest value the integer column holds; (None, None) if not known."""
    if not isinstance(field, IntegerField):
        return None, None
    try:
        return connection.ops.integer_field_range(field.get_internal_type())
    except KeyError:  # an integer field of a type the database does not range
        return None, None


def _held(value, bounds) -> bool:
    low, high = bounds
    if not isinstance(value, int):
        return True  # None, an expression: the lookup's own to handle
    return (low is None or value >= low) and (high is None or value <= high)


def _target(lookup):
    """The integer column a foreign key's single-column lookup compares with."""
    if isinstance(lookup.lhs, ColPairs):
        return None
    return lookup.lhs.output_field.path_infos[-1].target_fields[-1]


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            bounds = _bounds(self.lhs.output_field, connection)
            self.rhs = [value for value in self.rhs if _held(value, bounds)]
        return super().process_rhs(compiler, connection)


@ForeignObject.register_lookup
class RelatedInHeld(RelatedIn):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            bounds = _bounds(_target(self), connection)
            self.rhs = [value for value in self.rhs if _held(value, bounds)]
        return super().process_rhs(compiler, connection)


@ForeignObject.register_lookup
class RelatedExactHeld(RelatedExact):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value() and not _held(self.rhs, _bounds(_target(self), connection)):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)
