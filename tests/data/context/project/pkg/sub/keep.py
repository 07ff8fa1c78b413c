from pkg.util import render_table


def report(rows):
    return render_table(rows)
