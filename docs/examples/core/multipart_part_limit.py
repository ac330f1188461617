"""Cap how many parts (fields and files) a multipart body may have: app-wide, and tighter on one route."""

from typing import Annotated

from outpour import Outpour, post
from outpour.datastructures import UploadFile
from outpour.enums import RequestEncodingType
from outpour.params import Body, MultipartBody


@post("/documents")
async def upload_documents(data: MultipartBody[list[UploadFile]]) -> int:
    return len(data)  # at most 20 files: a 21st part is a 413


@post("/avatar")
async def upload_avatar(
    data: Annotated[UploadFile, Body(media_type=RequestEncodingType.MULTI_PART, multipart_form_part_limit=1)],
) -> str:
    return data.filename  # one part only: a second part is a 413


app = Outpour(route_handlers=[upload_documents, upload_avatar], multipart_form_part_limit=20)
