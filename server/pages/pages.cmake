# Hosted sign-in pages: templates, stylesheet and their translations.
target_sources(authrealm_server PRIVATE
    pages/HostedPages.cpp pages/HostedPages.h
)
