/* Petits pas — the web chat page's script (no build step, no inline script: CSP script-src 'self'). */
(function () {
  'use strict';

  var CONNECTION = { online: 2, expiredToken: 3, failedToConnect: 4, ended: 5 };
  var LOCALES = { fr: 'fr-CA', en: 'en-CA' };
  var config = JSON.parse(document.getElementById('pp-config').textContent);
  var texts = config.texts;
  var lang = config.lang === 'en' ? 'en' : 'fr';
  var session = 0;
  var current = null;
  var statusKind = null;

  var host = document.getElementById('webchat');
  var statusBox = document.getElementById('status');
  var statusText = document.getElementById('status-text');
  var restartButton = document.getElementById('restart');

  function t(key, vars) {
    var text = (texts[lang] && texts[lang][key]) || texts.fr[key] || key;
    return text.replace(/\{\{(\w+)\}\}/g, function (_, name) {
      return vars && vars[name] !== undefined ? String(vars[name]) : '';
    });
  }

  function applyTexts() {
    document.documentElement.lang = LOCALES[lang];
    document.querySelectorAll('[data-text]').forEach(function (element) {
      element.textContent = t(element.getAttribute('data-text'));
    });
    document.querySelectorAll('.lang-button').forEach(function (button) {
      button.setAttribute('aria-pressed', String(button.getAttribute('data-lang') === lang));
    });
  }

  /**
   * kind: 'connecting' (until online), 'info' (switched language, until the person writes),
   * 'notice' (message too long, until a message goes), 'error' (with a restart button).
   */
  function showStatus(kind, message) {
    statusKind = kind;
    statusText.textContent = message;
    statusBox.classList.toggle('error', kind === 'notice' || kind === 'error');
    restartButton.hidden = kind !== 'error';
    statusBox.hidden = false;
    statusBox.setAttribute('data-kind', kind);
  }

  function hideStatus() {
    statusKind = null;
    statusBox.hidden = true;
    statusText.textContent = '';
    statusBox.removeAttribute('data-kind');
  }

  function stopCurrent() {
    if (!current) return;
    current.subscription.unsubscribe();
    try {
      current.directLine.end();
    } catch (ignored) {
      /* already ended */
    }
    current.container.remove();
    current = null;
  }

  function createStore() {
    return window.WebChat.createStore({}, function (api) {
      return function (next) {
        return function (action) {
          if (action.type === 'WEB_CHAT/SUBMIT_SEND_BOX') {
            var value = api.getState().sendBoxValue || '';
            if (value.length > config.maxMessageChars) {
              // Keep the text in the box so the person can shorten it; nothing is sent.
              showStatus('notice', t('tooLong', { max: config.maxMessageChars }));
              return undefined;
            }
            if (statusKind === 'notice') hideStatus();
          }
          // "New conversation in …" stays until the person says something in it.
          if (action.type === 'DIRECT_LINE/POST_ACTIVITY' && statusKind === 'info') hideStatus();
          return next(action);
        };
      };
    });
  }

  var styleOptions = {
    accent: '#0b5394',
    subtle: '#4a5360',
    primaryFont: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    botAvatarInitials: 'PP',
    botAvatarBackgroundColor: '#0b5394',
    bubbleBackground: '#f1f3f6',
    bubbleBorderRadius: 10,
    bubbleFromUserBackground: '#e3edf8',
    bubbleFromUserBorderRadius: 10,
    hideUploadButton: true,
    rootHeight: '100%',
    rootWidth: '100%',
    suggestedActionLayout: 'flow',
    suggestedActionBorderRadius: 8,
    sendBoxTextWrap: true,
    sendBoxMaxHeight: 160,
  };

  function start(reason) {
    var mine = ++session;
    stopCurrent();
    showStatus('connecting', t('connecting'));
    if (!window.WebChat) {
      showStatus('error', t('unavailable'));
      return;
    }
    fetch('/api/directline/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ locale: LOCALES[lang] }),
      cache: 'no-store',
      credentials: 'same-origin',
    })
      .then(function (response) {
        if (!response.ok) throw new Error('token route answered ' + response.status);
        return response.json();
      })
      .then(function (info) {
        if (mine !== session) return;
        connect(mine, info, reason);
      })
      .catch(function () {
        if (mine === session) showStatus('error', t('unavailable'));
      });
  }

  function connect(mine, info, reason) {
    var directLine = window.WebChat.createDirectLine({
      token: info.token,
      domain: new URL(info.domain, window.location.href).href.replace(/\/+$/, ''),
      webSocket: config.mode !== 'local',
      // The local Direct Line is polled (no WebSocket): twice a second is cheap on one machine.
      pollingInterval: config.mode === 'local' ? 500 : undefined,
      conversationStartProperties: { locale: LOCALES[lang] },
    });
    var container = document.createElement('div');
    container.className = 'webchat-root';
    host.appendChild(container);
    var subscription = directLine.connectionStatus$.subscribe(function (status) {
      if (mine !== session) return;
      if (status === CONNECTION.online) {
        if (reason === 'switch') showStatus('info', t('switched'));
        else if (statusKind === 'connecting' || statusKind === 'error') hideStatus();
      } else if (status === CONNECTION.expiredToken || status === CONNECTION.failedToConnect || status === CONNECTION.ended) {
        showStatus('error', t('sessionEnded'));
      }
    });
    current = { directLine: directLine, container: container, subscription: subscription };
    window.WebChat.renderWebChat(
      {
        directLine: directLine,
        store: createStore(),
        locale: LOCALES[lang],
        nonce: config.nonce,
        // Web Chat's default landmark is "complementary": inside our <main> a region fits better.
        role: 'region',
        styleOptions: styleOptions,
        overrideLocalizedStrings: { TEXT_INPUT_PLACEHOLDER: t('placeholder'), ACTIVITY_BOT_SAID_ALT: t('botSaid') },
      },
      container,
    );
  }

  document.querySelectorAll('.lang-button').forEach(function (button) {
    button.addEventListener('click', function () {
      var chosen = button.getAttribute('data-lang') === 'en' ? 'en' : 'fr';
      if (chosen === lang) return;
      lang = chosen;
      applyTexts();
      try {
        var url = new URL(window.location.href);
        url.searchParams.set('lang', lang);
        window.history.replaceState(null, '', url.pathname + url.search);
      } catch (ignored) {
        /* the address bar is a convenience only */
      }
      start('switch');
    });
  });

  restartButton.addEventListener('click', function () {
    start('restart');
    document.getElementById('chat').focus();
  });

  applyTexts();
  start('load');
})();
