from quizgen.grade.results import ResultRow, read_results_csv, results_csv, totals, totals_csv


def rows():
    return [
        ResultRow("Ada", "01", 1, "q-a", "B", "B", True, 1, 1, "mcq", "s/01/s1"),
        ResultRow("Ada", "01", 2, "q-b", "A;C", "C", False, 0, 1, "mcq", "s/01/s1", 0.9, "two marks"),
        ResultRow("Ada", "01", 3, "q-c", "", "True", None, 0, 1, "true_false", "s/01/s1", 0.4, "faint"),
        ResultRow("Bo, Jr.", "02", 1, "q-a", "1.5", "the key", True, 1.5, 2, "short_answer", "s/02/s2"),
    ]


def test_round_trip():
    data = results_csv(rows())
    assert data.startswith(b"student,variant,number,question,marked,key,correct,points,")
    assert read_results_csv(data) == rows()


def test_totals_per_copy_in_first_seen_order():
    t = totals(rows())
    assert [(x.student, x.points, x.max_points, x.undecided) for x in t] == [("Ada", 1, 3, 1), ("Bo, Jr.", 1.5, 2, 0)]
    assert totals_csv(rows()).decode().splitlines()[1:] == ["Ada,01,s/01/s1,1,3,1", '"Bo, Jr.",02,s/02/s2,1.5,2,0']
