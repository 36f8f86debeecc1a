"""POST /v1/count: token counts of one or many texts with one or many encodings."""

from __future__ import annotations

from fastapi import APIRouter

from ..deps import SettingsDep
from ..limits import check_texts
from ..lookup import encoding
from ..schemas import CountRequest, CountResponse, EncodingCount

router = APIRouter(prefix="/v1", tags=["count"])


@router.post("/count", response_model=CountResponse)
def count(body: CountRequest, settings: SettingsDep) -> CountResponse:
    """Counts per text and their total, per encoding; token ids on request.

    A plain `def`: FastAPI runs it on its thread pool, and count_batch releases the GIL, so
    a large request neither blocks the event loop (health checks) nor other requests.
    """
    texts = body.all_texts()
    chars = check_texts(texts, settings)
    # Resolve every name before counting, so a typo costs no work.
    encodings = {name: encoding(name) for name in body.encodings}
    threads = settings.count_threads or None
    results = []
    for name, enc in encodings.items():
        counts = [int(c) for c in enc.count_batch(texts, num_threads=threads)]
        ids = enc.encode_ordinary_batch(texts, num_threads=threads) if body.return_ids else None
        results.append(EncodingCount(encoding=name, counts=counts, total=sum(counts), ids=ids))
    return CountResponse(results=results, texts=len(texts), characters=chars)
