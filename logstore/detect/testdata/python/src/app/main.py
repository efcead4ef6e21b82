import sys
from lib import calc

def main():
    what = sys.argv[1]
    if what == "zero":
        print(calc.ratio(1, 0))
    elif what == "json":
        calc.load("{bad")
    elif what == "chain":
        calc.lookup({}, "k")
    elif what == "during":
        calc.lookup2({}, "k")
    elif what == "exit":
        sys.exit("fatal: configuration missing")

main()
