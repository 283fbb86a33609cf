import { describe, expect, it } from 'vitest';
import { boardUrl } from './join.ts';
import { roomBanner } from './room.ts';

describe('npm run room: the banner', () => {
  it('says a loopback board is for this machine only, with the join command', () => {
    // Act
    const text = roomBanner({
      host: '127.0.0.1',
      port: 4570,
      code: 'K7QM-2XPD-9TRA',
      localUrl: 'http://127.0.0.1:4570/',
    });

    // Assess
    expect(text).toContain('Room code: K7QM-2XPD-9TRA');
    expect(text).toContain('Only this machine can reach it');
    expect(text).toContain('npm run join -- http://127.0.0.1:4570 --code K7QM-2XPD-9TRA --name <their name>');
    expect(text).not.toContain('⚠');
  });

  it('warns when the board is open to the network and gives the address to join', () => {
    // Act
    const text = roomBanner({
      host: '192.168.1.20',
      port: 4570,
      code: 'K7QM-2XPD-9TRA',
      localUrl: 'http://192.168.1.20:4570/',
    });

    // Assess
    expect(text).toContain('⚠ Open to the network (192.168.1.20)');
    expect(text).toContain('npm run join -- http://192.168.1.20:4570 --code K7QM-2XPD-9TRA');
  });
});

describe('npm run join: the board URL', () => {
  it.each([
    ['http://192.168.1.20:4570', 'http://192.168.1.20:4570'],
    ['192.168.1.20:4570', 'http://192.168.1.20:4570'],
    ['http://board.local:4570/some/page', 'http://board.local:4570'],
  ])('reads %s as %s', (typed, url) => {
    expect(boardUrl(typed)).toBe(url);
  });

  it.each([
    ['ftp://192.168.1.20', /starts with http/],
    ['http://', /is not a URL/],
  ])('refuses %s with one line and exit code 2', (typed, message) => {
    expect(() => boardUrl(typed)).toThrow(
      expect.objectContaining({ exitCode: 2, message: expect.stringMatching(message) }),
    );
  });
});
