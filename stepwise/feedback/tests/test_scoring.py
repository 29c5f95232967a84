"""SUS scores against hand-worked examples, and the t-based confidence interval against
published t tables and a worked example."""

import math

import pytest

from stepwise.feedback.builtin import (
    SUS_ITEMS,
    sus_adjective,
    sus_grade,
    sus_score,
)
from stepwise.feedback.stats import mean_interval, t_cdf, t_critical


class TestSus:
    def test_all_threes_score_50(self):
        assert sus_score([3] * 10) == 50

    def test_the_best_answers_score_100(self):
        # Strongly agree with the positive (odd) items, strongly disagree with the negative.
        assert sus_score([5, 1] * 5) == 100

    def test_the_worst_answers_score_0(self):
        assert sus_score([1, 5] * 5) == 0

    def test_a_hand_worked_mixed_example(self):
        # Odd items 4,4,5,3,4 give 3+3+4+2+3 = 15; even items 2,1,2,2,1 give 3+4+3+3+4 = 17;
        # (15 + 17) x 2.5 = 80.
        assert sus_score([4, 2, 4, 1, 5, 2, 3, 2, 4, 1]) == 80

    @pytest.mark.parametrize("points", [[3] * 9, [3] * 11, [0] + [3] * 9, [6] + [3] * 9])
    def test_anything_but_ten_answers_from_1_to_5_is_refused(self, points):
        with pytest.raises(ValueError):
            sus_score(points)

    def test_the_standard_items_in_their_standard_order(self):
        assert len(SUS_ITEMS) == 10
        assert SUS_ITEMS[0] == "I think that I would like to use this system frequently."
        assert SUS_ITEMS[1] == "I found the system unnecessarily complex."
        assert SUS_ITEMS[9] == (
            "I needed to learn a lot of things before I could get going with this system."
        )

    @pytest.mark.parametrize(
        ("score", "adjective", "grade"),
        [(100, "Best imaginable", "A+"), (68, "OK", "C"), (72.5, "Good", "C+"),
         (80, "Good", "A-"), (50, "Poor", "F"), (20, "Worst imaginable", "F")],
    )  # fmt: skip
    def test_bands(self, score, adjective, grade):
        assert (sus_adjective(score), sus_grade(score)) == (adjective, grade)


class TestConfidenceInterval:
    @pytest.mark.parametrize(
        ("df", "expected"),
        [(1, 12.706), (2, 4.303), (4, 2.776), (9, 2.262), (19, 2.093), (29, 2.045),
         (120, 1.980)],
    )  # fmt: skip
    def test_critical_values_match_the_t_table(self, df, expected):
        assert t_critical(df) == pytest.approx(expected, abs=0.0005)

    def test_the_cdf_is_symmetric(self):
        assert t_cdf(0, 5) == pytest.approx(0.5)
        assert t_cdf(-2, 5) == pytest.approx(1 - t_cdf(2, 5))

    def test_a_worked_example(self):
        # Mean 70, sample SD sqrt(250) = 15.811, n = 5: margin 2.776 x 15.811 / sqrt(5) = 19.63.
        interval = mean_interval([50, 60, 70, 80, 90])
        assert interval.mean == 70
        assert interval.margin == pytest.approx(2.7764 * math.sqrt(250) / math.sqrt(5), abs=0.01)
        assert (interval.low, interval.high) == pytest.approx((50.37, 89.63), abs=0.01)

    def test_one_value_has_no_interval_and_none_has_no_mean(self):
        interval = mean_interval([72.5])
        assert (interval.mean, interval.low, interval.high) == (72.5, None, None)
        assert mean_interval([]) is None

    def test_identical_values_have_no_spread(self):
        interval = mean_interval([50, 50, 50])
        assert (interval.low, interval.high) == (50, 50)
