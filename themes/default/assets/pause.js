/* ContentEngine web bundle: the timer of each "::: pause" and the player of a module's audio track.
   A timer starts only when the reader presses its button, and can be stopped with the same button.
   The time left is shown but not read aloud each second: the status line tells a screen reader when
   the pause begins, at half time (for pauses of 20 seconds or more) and when it is over.
   A chapter button moves the module's track to where its chapter starts and plays it from there. */
(function () {
  'use strict';

  function clock(seconds) {
    var s = Math.max(0, Math.ceil(seconds));
    return Math.floor(s / 60) + ':' + (s % 60 < 10 ? '0' : '') + (s % 60);
  }

  function setupTimer(timer) {
    var box = timer.closest('.ce-timed-pause');
    var total = parseInt(box && box.getAttribute('data-seconds'), 10);
    if (!(total > 0)) return;
    var button = timer.querySelector('.ce-pause-button');
    var bar = timer.querySelector('.ce-pause-bar > span');
    var time = timer.querySelector('.ce-pause-clock');
    var status = timer.querySelector('[role="status"]');
    var text = function (name) { return timer.getAttribute('data-' + name + '-text') || ''; };
    var interval = null, endsAt = 0, halfSaid = false;

    function say(message) {
      // Cleared first, so that the same message is announced again when it repeats.
      status.textContent = '';
      window.setTimeout(function () { status.textContent = message; }, 50);
    }
    function show(left) {
      time.textContent = text('left').replace('{0}', clock(left));
      bar.style.width = (100 * (total - left) / total).toFixed(1) + '%';
    }
    function finish(message, label) {
      window.clearInterval(interval);
      interval = null;
      timer.classList.remove('ce-pause-running');
      button.textContent = label;
      say(message);
    }
    function tick() {
      var left = (endsAt - Date.now()) / 1000;
      if (left <= 0) {
        show(0);
        timer.classList.add('ce-pause-done');
        finish(text('done'), text('again'));
        return;
      }
      show(left);
      if (!halfSaid && total >= 20 && left <= total / 2) {
        halfSaid = true;
        say(text('halfway'));
      }
    }
    button.addEventListener('click', function () {
      if (interval !== null) {
        finish(text('stopped'), text('start'));
        show(total);
        time.textContent = clock(total);
        return;
      }
      endsAt = Date.now() + total * 1000;
      halfSaid = false;
      timer.classList.add('ce-pause-running');
      timer.classList.remove('ce-pause-done');
      button.textContent = text('stop');
      say(text('started'));
      show(total);
      interval = window.setInterval(tick, 250);
    });
    timer.hidden = false;
  }

  function setupPlayer(player) {
    var audio = player.querySelector('audio');
    if (!audio) return;
    Array.prototype.forEach.call(player.querySelectorAll('[data-seek]'), function (button) {
      button.addEventListener('click', function () {
        var at = parseFloat(button.getAttribute('data-seek')) || 0;
        audio.currentTime = at;
        var playing = audio.play();
        if (playing && playing.catch) playing.catch(function () { /* the reader can press play */ });
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll('.ce-pause-timer'), setupTimer);
  Array.prototype.forEach.call(document.querySelectorAll('.ce-player'), setupPlayer);
})();
