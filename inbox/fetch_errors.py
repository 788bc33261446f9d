"""What went wrong with a fetch, as the one Russian sentence the source shows.

Each sentence names the source's address (and the address a redirect led to,
when the trouble was there) and says what to do: fix the address, raise a
limit, or nothing, because the next poll tries again.
"""

from __future__ import annotations

RETRY = "следующий опрос попробует снова"
MEBIBYTE = 1024 * 1024


def where(source: str, hop: str) -> str:
    """The source's address, and where it redirected to if that is elsewhere."""
    if hop == source:
        return f"Адрес {source}"
    return f"Адрес {source} (переадресация на {hop})"


def size_text(size: int) -> str:
    if size >= MEBIBYTE:
        return f"{size / MEBIBYTE:.1f}".removesuffix(".0") + " МБ"
    if size >= 1024:
        return f"{size / 1024:.1f}".removesuffix(".0") + " КБ"
    return f"{size} байт"


def malformed_url(source: str, hop: str) -> str:
    what = f"Адрес «{source}»" if hop == source else f"Адрес {source} переадресует на «{hop}», что"
    return (
        f"{what} не разобрать как адрес в интернете: укажите полный адрес ленты, "
        "например https://example.org/rss."
    )


def wrong_scheme(source: str, hop: str) -> str:
    return (
        f"{where(source, hop)} не начинается с http:// или https://, а другие адреса "
        "портал не открывает: укажите адрес ленты в интернете."
    )


def private_address(source: str, hop: str, address: str) -> str:
    return (
        f"{where(source, hop)} ведёт во внутреннюю сеть ({address}), куда портал не "
        "обращается (INBOX_ALLOW_PRIVATE_ADDRESSES выключена): укажите публичный адрес ленты."
    )


def host_not_found(source: str, host: str) -> str:
    return (
        f"Адрес {source}: сервер {host} не найден в DNS; проверьте, нет ли опечатки в "
        f"адресе, а если он верен, {RETRY}."
    )


def cannot_connect(source: str, hop: str, reason: str) -> str:
    if "CERTIFICATE_VERIFY_FAILED" in reason.upper():
        return (
            f"{where(source, hop)}: сертификат HTTPS сервера не прошёл проверку; "
            f"проверьте адрес, а если он верен, сообщите владельцу сайта, {RETRY}."
        )
    if "SSL" in reason.upper():
        return (
            f"{where(source, hop)}: не удалось установить защищённое соединение (HTTPS); "
            f"проверьте, не http:// ли этот адрес, а если он верен, {RETRY}."
        )
    return f"{where(source, hop)}: сервер не принимает соединения; проверьте адрес, {RETRY}."


def timed_out(source: str, timeout: float) -> str:
    return (
        f"Адрес {source}: сервер молчит дольше {timeout:g} с; {RETRY}, а если так "
        "повторяется, проверьте адрес или поднимите INBOX_FETCH_TIMEOUT."
    )


def deadline_passed(source: str, deadline: float) -> str:
    return (
        f"Адрес {source}: сервер не отдал ленту целиком за {deadline:g} с и был прерван; "
        f"{RETRY}, а если так повторяется, поднимите INBOX_FETCH_DEADLINE."
    )


def too_large(source: str, max_bytes: int, *, declared: int | None) -> str:
    size = f"объявлено {size_text(declared)}" if declared is not None else "передача прервана"
    return (
        f"Адрес {source}: ответ больше предела в {size_text(max_bytes)} ({size}); "
        "проверьте, что это лента, или поднимите INBOX_MAX_FEED_BYTES."
    )


def redirect_loop(source: str, hop: str) -> str:
    return (
        f"Адрес {source} переадресует по кругу (снова на {hop}): укажите конечный адрес "
        "ленты или сообщите владельцу сайта."
    )


def too_many_redirects(source: str, limit: int) -> str:
    return (
        f"Адрес {source} переадресует больше {limit} раз подряд: укажите конечный адрес "
        "ленты или поднимите INBOX_MAX_REDIRECTS."
    )


STATUS_ADVICE = {
    401: "лента закрыта паролем: нужен открытый адрес",
    403: "сервер не пускает портал: нужен открытый адрес или разрешение владельца",
    404: "такой страницы нет: проверьте адрес ленты",
    410: "лента удалена: найдите её новый адрес или выключите источник",
    429: f"сервер просит обращаться реже: увеличьте интервал опроса, {RETRY}",
}


def http_status(source: str, hop: str, status: int, reason: str) -> str:
    if status in STATUS_ADVICE:
        advice = STATUS_ADVICE[status]
    elif status >= 500:
        advice = f"ошибка на стороне сервера, {RETRY}"
    else:
        advice = "проверьте адрес ленты"
    phrase = f" {reason}" if reason else ""
    return f"{where(source, hop)}: сервер ответил {status}{phrase}; {advice}."


def bad_encoding(source: str) -> str:
    return (
        f"Адрес {source}: сервер прислал сжатый ответ, который не распаковать; {RETRY}, "
        "а если так повторяется, сообщите владельцу сайта."
    )


def broken_answer(source: str, hop: str) -> str:
    return (
        f"{where(source, hop)}: сервер оборвал ответ или ответил не по протоколу HTTP; "
        f"{RETRY}, а если так повторяется, проверьте адрес."
    )
