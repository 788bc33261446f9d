def article_ninjs(request, slug):
    raise NotImplementedError
