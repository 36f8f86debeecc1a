"""tokbench: exact, fast token counts with the real tokenizers of the models people pay for."""

from __future__ import annotations

from ._core import __version__ as __version__
from .corpus_result import CorpusCounts as CorpusCounts
from .counting import CountInterrupted as CountInterrupted
from .counting import count_corpus as count_corpus
from .encoding import Encoding as Encoding
from .errors import DisallowedSpecialTokenError as DisallowedSpecialTokenError
from .errors import EstimatedEncodingError as EstimatedEncodingError
from .errors import TokbenchError as TokbenchError
from .errors import TokenIdError as TokenIdError
from .errors import UnknownEncodingError as UnknownEncodingError
from .errors import UnsupportedTokenizerError as UnsupportedTokenizerError
from .errors import VocabError as VocabError
from .estimate import EstimatedEncoding as EstimatedEncoding
from .load import load as load
from .models import encoding_for_model as encoding_for_model
from .models import encoding_name_for_model as encoding_name_for_model
from .registry import get_encoding as get_encoding
from .registry import list_encoding_names as list_encoding_names
