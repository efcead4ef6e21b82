import lib.calc
from lib import missing_thing
