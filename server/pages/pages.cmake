# Hosted sign-in pages: templates, stylesheet and their translations.
target_sources(authrealm_server PRIVATE
    pages/HostedPages.cpp pages/HostedPages.h
    pages/PageStrings.cpp
    pages/PageTemplate.cpp pages/PageTemplate.h
    routes/PageRoutes.cpp
)

# Templates and stylesheet under :/pages (HostedPages registers the resource).
qt_add_resources(authrealm_server hosted_pages PREFIX / BASE ${PROJECT_SOURCE_DIR}/resources
    FILES
    ${PROJECT_SOURCE_DIR}/resources/pages/layout.html
    ${PROJECT_SOURCE_DIR}/resources/pages/signin.html
    ${PROJECT_SOURCE_DIR}/resources/pages/totp.html
    ${PROJECT_SOURCE_DIR}/resources/pages/email_code_verify.html
    ${PROJECT_SOURCE_DIR}/resources/pages/choose_product.html
    ${PROJECT_SOURCE_DIR}/resources/pages/consent.html
    ${PROJECT_SOURCE_DIR}/resources/pages/logout_confirm.html
    ${PROJECT_SOURCE_DIR}/resources/pages/logged_out.html
    ${PROJECT_SOURCE_DIR}/resources/pages/error.html
    ${PROJECT_SOURCE_DIR}/resources/pages/pages.css)

# German and French (English is the source), compiled to .qm and embedded
# under :/pages/i18n so the server needs no files at run time.
find_package(Qt6 REQUIRED COMPONENTS LinguistTools)
qt_add_translations(authrealm_server
    TS_FILES ${PROJECT_SOURCE_DIR}/translations/pages_de.ts ${PROJECT_SOURCE_DIR}/translations/pages_fr.ts
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/pages/PageStrings.cpp
    RESOURCE_PREFIX /pages/i18n
    LUPDATE_OPTIONS -no-obsolete -locations none)
