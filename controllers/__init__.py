from . import oauth, webhook
