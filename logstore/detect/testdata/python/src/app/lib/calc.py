import json


def ratio(a, b):
    return a / b


def load(text):
    return json.loads(text)


def lookup(d, k):
    try:
        return d[k]
    except KeyError as e:
        raise ValueError(f"no key {k!r}") from e


def lookup2(d, k):
    try:
        return d[k]
    except KeyError:
        return undefined_helper(k)
