from typing_extensions import Buffer

def sha_extensions() -> bool: ...
def hmac_tokens(
    key: bytes,
    data: Buffer,
    offsets: Buffer,
    count: int,
    prefix: bytes,
    hex_chars: int,
    blank_empty: bool,
    out: Buffer,
    out_offsets: Buffer,
    /,
) -> None: ...
